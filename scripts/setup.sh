#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with Node 20, run as root:
# npm dependencies, the TypeScript build, a running Docker engine, and up-to-date images.
# Each step checks before it acts, so a second run does no work that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup: %s\n' "$*" >&2; }

# 1. npm dependencies, reinstalled only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. The TypeScript build (incremental: quick when nothing changed).
npx tsc -p tsconfig.json

# 3. The host: a running Docker engine, inotify room, debootstrap and ssh (shared with `shakedown setup`).
bash scripts/host-setup.sh

# 4. Images, rebuilt only when their recipe changed.
node bin/shakedown.js images build >&2
