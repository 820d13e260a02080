/** What one server's first boot needs from Shakedown: its name, the run's key, its neighbours, its volumes. */
export interface BootPlan {
  server: string;
  /** The run's public key in authorized_keys form; a private key never goes here. */
  authorizedKey: string;
  /** Every server of the environment: name, role and private address, as Docker's aliases give them. */
  hosts: { name: string; role: string; ip: string }[];
  /** Persistent volumes: the EBS volume id (its NVMe serial) and where it mounts. */
  volumes: { volumeId: string; device: string; path: string }[];
}

const VOLUME_WAIT_S = 300;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Role names resolve as on Docker: each server by name, each role to its servers. */
export function hostsEntries(hosts: BootPlan['hosts']): string {
  return hosts.map((h) => `${h.ip} ${h.name} ${h.role}`).join('\n');
}

/**
 * A shell script cloud-init runs once on first boot: the base image's sshd reads keys from
 * /etc/ssh/authorized_keys/%u, and names resolve from /etc/hosts, which EC2 has no alias for (the
 * baked AMI's stub resolver answers DNS queries from it too, as Docker's embedded DNS would). The
 * addresses are the interfaces', which outlive a relaunched instance, so the entries stay true.
 * A volume is attached after the instance exists, so its mount waits for the device.
 */
export function userData(plan: BootPlan): string {
  if (/PRIVATE KEY/.test(plan.authorizedKey)) throw new Error('user data must carry a public key, never a private one');
  const mounts = plan.volumes.map((v) => {
    const serial = v.volumeId.replace('-', '');
    return [
      `dev=; for i in $(seq ${VOLUME_WAIT_S}); do for d in /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${serial} ${v.device} ${v.device.replace('/dev/sd', '/dev/xvd')}; do [ -b "$d" ] && dev=$d && break 2; done; sleep 1; done`,
      `[ -n "$dev" ] || { echo "shakedown: volume ${v.volumeId} never appeared" >&2; exit 1; }`,
      `blkid "$dev" >/dev/null || mkfs.ext4 -q -L ${quote(v.path.split('/').pop() || 'data')} "$dev"`,
      `mkdir -p ${quote(v.path)} && echo "$dev ${v.path} ext4 defaults,nofail 0 2" >> /etc/fstab && mount ${quote(v.path)}`,
    ].join('\n');
  });
  return [
    '#!/bin/sh',
    '# Written by Shakedown at launch.',
    'set -eu',
    `hostnamectl set-hostname ${quote(plan.server)} || echo ${quote(plan.server)} > /etc/hostname`,
    'install -d -m 755 /etc/ssh/authorized_keys',
    `printf '%s\\n' ${quote(plan.authorizedKey)} > /etc/ssh/authorized_keys/testadmin`,
    'chmod 644 /etc/ssh/authorized_keys/testadmin',
    "cat >> /etc/hosts <<'SHAKEDOWN_HOSTS'",
    hostsEntries(plan.hosts),
    'SHAKEDOWN_HOSTS',
    ...mounts,
    '',
  ].join('\n');
}
