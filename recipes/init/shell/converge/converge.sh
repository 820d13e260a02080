#!/usr/bin/env bash
# Converges this server to its role. Shakedown runs it as root in the folder it is copied to, both
# when it bakes a role image (SHAKEDOWN_BAKING=true: no daemon may start) and on a live server over
# SSH (SHAKEDOWN_BAKING=false). It changes only what differs and prints `changed: WHAT` per change,
# which is how the idempotence suite knows a second run changed nothing.
set -euo pipefail
role=${SHAKEDOWN_ROLE:?} version=${SHAKEDOWN_VERSION:?} defects=${SHAKEDOWN_DEFECTS:-}
log_level=${LOG_LEVEL:?}   # a variable of the version, from versions: in shakedown.yml

has_defect() { [[ ",$defects," == *",$1,"* ]]; }

# ensure_owner_mode PATH OWNER:GROUP MODE
ensure_owner_mode() {
  if [ "$(stat -c %U:%G "$1")" != "$2" ]; then chown "$2" "$1"; echo "changed: $1 owner"; fi
  if [ "$(stat -c %a "$1")" != "$3" ]; then chmod "$3" "$1"; echo "changed: $1 mode"; fi
}

# ensure_dir PATH OWNER:GROUP MODE
ensure_dir() {
  if [ ! -d "$1" ]; then mkdir -p "$1"; echo "changed: $1 created"; fi
  ensure_owner_mode "$@"
}

# ensure_file PATH OWNER:GROUP MODE CONTENT
ensure_file() {
  if ! printf '%s' "$4" | cmp -s - "$1" 2>/dev/null; then
    (umask 077 && printf '%s' "$4" > "$1")
    echo "changed: $1 content"
  fi
  ensure_owner_mode "$1" "$2" "$3"
}

config_mode=640
if has_defect config-world-readable; then config_mode=644; fi   # the example defect (defects.json)

ensure_dir /etc/{{name}} root:root 755
ensure_file /etc/{{name}}/{{name}}.conf root:root "$config_mode" "role = $role
version = $version
log_level = $log_level
"

case $role in
  bastion) ;;   # the way in: the base image's sshd is all it needs
  app) ;;       # your application: its packages, services and files go here
  *) echo "converge.sh: unknown role '$role' (known: bastion, app)" >&2; exit 2 ;;
esac
