#!/usr/bin/env bash
# The host's part of set-up, idempotent, run as root on Debian 12: a running Docker engine, room
# for systemd's inotify instances, and the tools the image recipes need. Shipped with the package:
# `npx shakedown setup` runs it from any repository, then builds the project's images.
set -euo pipefail
say() { printf 'setup: %s\n' "$*" >&2; }

apt_install() {
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. The Docker engine: installed from Debian's docker.io if missing, started if not running.
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

# 2. Tools the image recipes need.
command -v debootstrap >/dev/null 2>&1 || { say "installing debootstrap"; apt_install debootstrap; }
command -v ssh >/dev/null 2>&1 || { say "installing openssh-client"; apt_install openssh-client; }
