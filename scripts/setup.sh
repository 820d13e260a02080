#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with Node 20, run as root:
# npm dependencies, the TypeScript build, a running Docker engine, and up-to-date images.
# Each step checks before it acts, so a second run does no work that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup: %s\n' "$*" >&2; }

apt_install() {
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. npm dependencies, reinstalled only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. The TypeScript build (incremental: quick when nothing changed).
npx tsc -p tsconfig.json

# 3. The Docker engine: installed from Debian's docker.io if missing, started if not running.
if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing Debian's docker.io"
    apt_install docker.io
  fi
  if ! pgrep -x dockerd >/dev/null; then
    say "starting dockerd"
    nohup dockerd >/var/log/shakedown-dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { say "dockerd did not start: see /var/log/shakedown-dockerd.log"; exit 3; }
fi

# systemd in every server holds about 7 inotify instances, and they all count against root's
# limit (128 by default): four workers of the platform topology need about 160.
if [ "$(sysctl -n fs.inotify.max_user_instances 2>/dev/null || echo 0)" -lt 1024 ]; then
  sysctl -qw fs.inotify.max_user_instances=1024 || say "could not raise fs.inotify.max_user_instances; 'run --workers' will say how many workers fit"
fi

# 4. Tools the image recipes need.
command -v debootstrap >/dev/null 2>&1 || { say "installing debootstrap"; apt_install debootstrap; }
command -v ssh >/dev/null 2>&1 || { say "installing openssh-client"; apt_install openssh-client; }

# 5. Images, rebuilt only when their recipe changed.
node bin/shakedown.js images build >&2
