import { InfrastructureError } from '../errors.js';
import type { LogContext } from '../log.js';
import { SshConnection } from '../ssh/connection.js';
import type { KeyPair } from '../ssh/keys.js';
import type { EnvironmentRecord } from './environment.js';
import { Server } from './server.js';

export const ADMIN_USER = 'testadmin';
export const CONNECT_DEADLINE_MS = 45_000;
const SETTLE_TIMEOUT_MS = 90_000;

/** Connects to the bastion from here, then to every other server through it, pinning each host key. */
export async function connectServers(record: EnvironmentRecord, key: KeyPair, ctx: LogContext, withinMs = CONNECT_DEADLINE_MS): Promise<Server[]> {
  const deadline = Date.now() + withinMs;
  const creds = { user: ADMIN_USER, privateKey: key.privateKey };
  const endpoint = (s: EnvironmentRecord['servers'][number]) => ({ server: s.name, ...s.address, hostKey: s.hostKey });
  const bastionRecord = record.servers.find((s) => s.name === record.bastion)!;
  const bastion = await SshConnection.open(endpoint(bastionRecord), creds, { deadline, ctx });
  const others = record.servers.filter((s) => s !== bastionRecord);
  const settled = await Promise.allSettled(others.map((s) => SshConnection.open(endpoint(s), creds, { via: bastion, deadline, ctx })));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    bastion.close();
    settled.forEach((r) => r.status === 'fulfilled' && r.value.close());
    throw (failed as PromiseRejectedResult).reason;
  }
  const conns = new Map(others.map((s, i) => [s.name, (settled[i] as PromiseFulfilledResult<SshConnection>).value]));
  conns.set(bastionRecord.name, bastion);
  return record.servers.map((s) => new Server(s.name, s.role, conns.get(s.name)!));
}

/** Reconnects one server (after a reboot or relaunch), through the bastion unless it is the bastion. */
export async function reconnectServer(
  record: EnvironmentRecord,
  name: string,
  key: KeyPair,
  bastion: Server | undefined,
  ctx: LogContext,
  withinMs = CONNECT_DEADLINE_MS,
  /** How long a refusing server (still booting) is retried; by default, as long as `withinMs`. */
  retryMs = withinMs,
): Promise<SshConnection> {
  const s = record.servers.find((x) => x.name === name)!;
  const now = Date.now();
  return SshConnection.open(
    { server: s.name, ...s.address, hostKey: s.hostKey },
    { user: ADMIN_USER, privateKey: key.privateKey },
    { via: name === record.bastion ? undefined : bastion?.ssh, deadline: now + withinMs, retryUntil: now + retryMs, ctx },
  );
}

/** Waits until systemd has finished booting: `running`, or `degraded` (which the build suite reports). */
export async function waitSettled(server: Server): Promise<string> {
  const r = await server.sh('systemctl is-system-running --wait', { timeoutMs: SETTLE_TIMEOUT_MS });
  const state = r.stdout.trim();
  if (state !== 'running' && state !== 'degraded') {
    throw new InfrastructureError(`${server.name}: systemd did not settle: is-system-running says '${state || r.stderr.trim()}'`);
  }
  return state;
}
