import type { CronExpectation, FileExpectation } from 'shakedown';

/** What a correctly built server of each role has: the build suite's declaration of the platform. */
export interface RoleExpectation {
  packages: string[];
  services: string[];
  files: Record<string, FileExpectation>;
  users: Record<string, { groups?: string[]; shell?: string }>;
  cron: CronExpectation[];
  /** Port → the process that must own it. */
  ports: Record<number, string>;
}

const common: RoleExpectation = {
  packages: ['openssh-server', 'sudo', 'rsyslog', 'cron'],
  services: ['ssh', 'rsyslog', 'cron'],
  files: {
    '/etc/ssh/sshd_config.d/shakedown.conf': { owner: 'root', group: 'root', mode: '644', contains: ['PermitRootLogin no', 'PasswordAuthentication no'] },
    '/etc/sudoers.d/testadmin': { owner: 'root', group: 'root', mode: '440' },
    '/etc/ssh/ssh_host_ed25519_key': { owner: 'root', mode: '600' },
  },
  users: { testadmin: { shell: '/bin/bash' } },
  cron: [],
  ports: { 22: 'sshd' },
};

const merge = (extra: Partial<RoleExpectation>): RoleExpectation => ({
  packages: [...common.packages, ...(extra.packages ?? [])],
  services: [...common.services, ...(extra.services ?? [])],
  files: { ...common.files, ...extra.files },
  users: { ...common.users, ...extra.users },
  cron: [...common.cron, ...(extra.cron ?? [])],
  ports: { ...common.ports, ...extra.ports },
});

const roles: Record<string, RoleExpectation> = {
  bastion: merge({ packages: ['curl'] }),
  lb: merge({
    packages: ['haproxy'],
    services: ['haproxy'],
    files: { '/etc/haproxy/haproxy.cfg': { owner: 'root', mode: '644', contains: ['option httpchk', /server-template\s+web/] } },
    users: { haproxy: {} },
    ports: { 80: 'haproxy' },
  }),
  web: merge({
    packages: ['nginx', 'php8.2-fpm', 'php8.2-pgsql'],
    services: ['nginx', 'php8.2-fpm'],
    files: {
      '/etc/platform/app.ini': { owner: 'root', group: 'www-data', mode: '640', contains: [/host\s*=\s*db/] },
      '/var/www/platform/index.php': { owner: 'root', type: 'regular file' },
    },
    users: { 'www-data': {} },
    ports: { 80: 'nginx' },
  }),
  db: merge({
    packages: ['postgresql-15'],
    services: ['postgresql'],
    files: {
      '/usr/local/sbin/platform-backup': { owner: 'root', mode: '755' },
      '/usr/local/sbin/platform-restore': { owner: 'root', mode: '755' },
      '/var/backups/platform': { owner: 'postgres', type: 'directory' },
    },
    users: { postgres: {} },
    cron: [{ command: /platform-backup/, user: 'postgres' }],
    ports: { 5432: 'postgres' },
  }),
  replica: merge({
    packages: ['postgresql-15'],
    services: ['postgresql'],
    users: { postgres: {} },
    ports: { 5432: 'postgres' },
  }),
};

/** What a version adds on top of v1. */
const additions: Record<string, Record<string, Partial<RoleExpectation>>> = {
  v2: { web: { packages: ['php8.2-apcu'] } },
};

/** The expectation for a server of `role` at platform `version`, or undefined for an unknown role. */
export function expectationFor(role: string, version: string): RoleExpectation | undefined {
  const base = roles[role];
  const extra = additions[version]?.[role];
  if (!base || !extra) return base;
  return { ...base, packages: [...base.packages, ...(extra.packages ?? [])] };
}
