#!/usr/bin/env bash
# Idempotent set-up for the AWS provider's tests: moto (a local EC2 API) and the pulumi CLI.
# Both are cached under ~/.cache/shakedown, so a second run does nothing.
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

# 2. The pulumi CLI, built from Go modules when none is on PATH: pkg/v3's go.mod has replace
# directives, so `go install` refuses it; a wrapper module that requires it builds it instead.
bin="$cache/pulumi/$PULUMI_VERSION/bin/pulumi"
if ! command -v pulumi >/dev/null 2>&1 && [ ! -x "$bin" ]; then
  command -v go >/dev/null 2>&1 || { say "go is needed to build the pulumi CLI: install Go 1.25 or later (go.dev/dl), or put a pulumi $PULUMI_VERSION on PATH"; exit 1; }
  src="$cache/pulumi/$PULUMI_VERSION/src"
  mkdir -p "$src" "$(dirname "$bin")"
  say "building the pulumi CLI $PULUMI_VERSION from Go modules (about 7 minutes, once)"
  start=$(date +%s)
  cat > "$src/go.mod" <<MOD
module shakedown.local/pulumi-cli

go 1.22

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)
MOD
  (cd "$src" && GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
    && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$bin.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$bin.tmp" "$bin"
  say "pulumi CLI built in $(( $(date +%s) - start )) s: $bin"
fi
