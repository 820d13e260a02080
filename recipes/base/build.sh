#!/usr/bin/env bash
# Builds a Debian base server image with debootstrap and loads it with `docker import`.
# Usage: build.sh TAG RECIPE_HASH RELEASE (bookworm, trixie)
# Host keys are deliberately absent: each server makes its own on first boot.
set -euo pipefail
usage='usage: build.sh TAG RECIPE_HASH RELEASE'
tag=${1:?$usage}
hash=${2:?$usage}
release=${3:?$usage}
mirror=${SHAKEDOWN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)
packages=systemd,systemd-sysv,dbus,openssh-server,sudo,rsyslog,cron,iproute2,procps,curl,ca-certificates,python3,less

work=$(mktemp -d /var/tmp/shakedown-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

# debootstrap is the slow part: keep its result per package list, so a change to the configuration is quick.
cache=${SHAKEDOWN_CACHE_DIR:-/var/cache/shakedown}
seed="$cache/debootstrap-$(echo "$release $mirror $packages" | sha256sum | cut -c1-16).tar"
mkdir -p "$root" "$cache"
if [ ! -s "$seed" ]; then
  debootstrap --variant=minbase --include="$packages" "$release" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; echo "debootstrap failed: check that $mirror is reachable" >&2; exit 1; }
  tar -C "$root" --numeric-owner -cf "$seed.part" . && mv "$seed.part" "$seed"
else
  tar -C "$root" --numeric-owner -xf "$seed"
fi

cp -a "$here/rootfs-overlay/." "$root/"
cp "$here/configure.sh" "$root/tmp/configure.sh"
chroot "$root" /bin/bash /tmp/configure.sh
rm -f "$root/tmp/configure.sh"

# Lineage: what the base holds (its package list, hashed) and when it was made.
packages_hash=$(chroot "$root" dpkg-query -W -f '${Package}=${Version}\n' | sort | sha256sum | cut -c1-16)
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'CMD ["/sbin/init"]' \
  --change 'ENV container=docker' \
  --change "LABEL shakedown.recipe-hash=$hash shakedown.image=base shakedown.base-release=$release shakedown.packages=$packages_hash shakedown.built=$built" \
  - "$tag" >/dev/null
echo "built $tag"
