import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../../errors.js';
import { ADMIN_USER } from '../../environment/connect.js';
import { makeSshDir } from '../../environment/ssh-dir.js';
import type { KeptState } from '../../environment/state.js';

export interface SshCommand {
  dir: string;
  argv: string[];
  text: string;
}

/**
 * Writes a key file (0600), a known_hosts file with the pinned host keys and an ssh_config
 * (jump hosts ignore command-line options), and returns the `ssh -J` command that uses them.
 * The folder stays until --exec is done, `env down` or the janitor (see ssh-dir.ts).
 */
export function sshCommand(state: KeptState, server: string): SshCommand {
  const { record, key } = state;
  const target = record.servers.find((s) => s.name === server);
  if (!target) throw new BadInputError(`environment ${record.id} has no server '${server}' (has: ${record.servers.map((s) => s.name).join(', ')})`);
  const bastion = record.servers.find((s) => s.name === record.bastion)!;
  const dir = makeSshDir(record.id);
  const keyFile = path.join(dir, 'id_ed25519');
  const knownHosts = path.join(dir, 'known_hosts');
  const config = path.join(dir, 'ssh_config');
  writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  writeFileSync(
    knownHosts,
    record.servers
      .map((s) => `${s === bastion ? `[${s.address.host}]:${s.address.port}` : s.name} ${s.hostKey.type} ${s.hostKey.base64}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  );
  writeFileSync(
    config,
    [
      `Host ${bastion.name}`,
      `  HostName ${bastion.address.host}`,
      `  Port ${bastion.address.port}`,
      'Host *',
      `  User ${ADMIN_USER}`,
      `  IdentityFile ${keyFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const argv = server === bastion.name ? ['-F', config, bastion.name] : ['-F', config, '-J', bastion.name, target.name];
  return { dir, argv, text: ['ssh', ...argv].join(' ') };
}

/** Runs ssh in this terminal; removes the key file afterwards. */
export function execSsh(cmd: SshCommand, remote: string[]): number {
  try {
    const r = spawnSync('ssh', [...cmd.argv, ...remote], { stdio: 'inherit' });
    return r.status ?? 255;
  } finally {
    rmSync(cmd.dir, { recursive: true, force: true });
  }
}
