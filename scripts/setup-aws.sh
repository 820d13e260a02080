#!/usr/bin/env bash
# Idempotent set-up for the AWS provider's tests: moto (a local EC2 API) and the pulumi CLI.
# Both are cached under ~/.cache/shakedown, so a second run does nothing. With --background the
# pulumi CLI (minutes, once) builds behind whatever runs next; its users wait for it (building.pid).
set -euo pipefail
say() { printf 'setup-aws: %s\n' "$*" >&2; }
cache="${SHAKEDOWN_CACHE:-$HOME/.cache/shakedown}"
# The last pulumi whose Node SDK runs on Node 20; package.json pins @pulumi/pulumi to the same version.
PULUMI_VERSION=3.248.0

# 1. moto, in its own venv unless one on PATH already serves.
if ! command -v moto_server >/dev/null 2>&1 && [ ! -x "$cache/moto/bin/moto_server" ]; then
  say "installing moto into $cache/moto"
  python3 -m venv "$cache/moto" 2>/dev/null || { apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$cache/moto"; }
  "$cache/moto/bin/pip" install --quiet --disable-pip-version-check 'moto[server]>=5,<6'
fi

# 2. The pulumi CLI, when none is on PATH or in the cache.
root="$cache/pulumi/$PULUMI_VERSION"
if ! command -v pulumi >/dev/null 2>&1 && [ ! -x "$root/bin/pulumi" ]; then
  command -v go >/dev/null 2>&1 || { say "go is needed to build the pulumi CLI: install Go 1.25 or later (go.dev/dl), or put a pulumi $PULUMI_VERSION on PATH"; exit 1; }
  mkdir -p "$root"
  if [ "${1:-}" = --background ]; then
    say "building the pulumi CLI $PULUMI_VERSION in the background (about 8 minutes, once; log $root/build.log)"
    # Niced: what runs meanwhile (the engine tests) keeps the CPU it needs.
    nohup nice -n 19 bash "$(dirname "$0")/build-pulumi.sh" "$root" "$PULUMI_VERSION" > "$root/build.log" 2>&1 < /dev/null &
  else
    bash "$(dirname "$0")/build-pulumi.sh" "$root" "$PULUMI_VERSION"
  fi
fi
