#!/usr/bin/env bash
# Converges this server to one platform role with Ansible, run as root on the server itself:
# at bake time inside `docker build` (--bake: nothing is started) or on a live server.
# Shakedown runs it as the project's converge command, with SHAKEDOWN_ROLE, SHAKEDOWN_VERSION,
# SHAKEDOWN_DEFECTS and SHAKEDOWN_BAKING set; flags, when given, take precedence.
# Usage: apply.sh --role bastion|lb|web|db|replica [--version v1|v2] [--defects a,b] [--bake]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { echo "usage: apply.sh --role bastion|lb|web|db|replica [--version v1|v2] [--defects a,b] [--bake]" >&2; exit 2; }

role=${SHAKEDOWN_ROLE:-} version=${SHAKEDOWN_VERSION:-v1} defects=${SHAKEDOWN_DEFECTS:-} bake=${SHAKEDOWN_BAKING:-false}
while [ $# -gt 0 ]; do
  case $1 in
    --role|--version|--defects) [ $# -ge 2 ] || usage; declare "${1#--}=$2"; shift 2 ;;
    --bake) bake=true; shift ;;
    *) usage ;;
  esac
done
case $role in bastion|lb|web|db|replica) ;; *) echo "apply.sh: unknown role '$role' (known: bastion, lb, web, db, replica)" >&2; exit 2 ;; esac
case $version in v1|v2) ;; *) echo "apply.sh: unknown version '$version' (known: v1, v2)" >&2; exit 2 ;; esac

# Checks defect names against defects.json and turns the arguments into typed extra vars.
# A known defect of another role, or of other versions (its `versions`, when it has them), is dropped with
# a notice, so one defect list can be given to every server and every version.
extra=$(python3 - "$here/defects.json" "$role" "$version" "$defects" "$bake" <<'PY'
import json, sys
registry, role, version, names, bake = sys.argv[1:]
known = json.load(open(registry))
chosen = []
for name in filter(None, names.split(',')):
    if name not in known:
        sys.exit(f"apply.sh: unknown defect '{name}' (known: {', '.join(sorted(known))})")
    if role not in known[name]['roles']:
        print(f"apply.sh: defect '{name}' does not apply to role {role}: ignored", file=sys.stderr)
    elif version not in known[name].get('versions', [version]):
        print(f"apply.sh: defect '{name}' does not apply to platform {version}: ignored", file=sys.stderr)
    else:
        chosen.append(name)
print(json.dumps({'platform_role': role, 'platform_version': version,
                  'platform_defects': chosen, 'baking': bake == 'true'}))
PY
) || exit 2

export LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_CONFIG="$here/ansible.cfg" DEBIAN_FRONTEND=noninteractive
# Package scripts must not start daemons: inside `docker build` there is no systemd to own them,
# and on a live server a daemon must not run before the playbook has configured it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  trap 'exit 130' INT TERM
fi
rc=0
ansible-playbook -i localhost, -c local "$here/site.yml" -e "$extra" || rc=$?
# A live server keeps one line per converge in syslog (there is none at bake time).
if ! $bake; then
  if [ $rc = 0 ]; then logger -t platform-apply "converged role $role to platform $version"
  else logger -p daemon.err -t platform-apply "converging role $role to platform $version failed (exit $rc)"; fi
fi
exit $rc
