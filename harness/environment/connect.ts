import { InfrastructureError } from '../errors.js';
import type { LogContext } from '../log.js';
import { SshConnection } from '../ssh/connection.js';
import type { HostKey, KeyPair } from '../ssh/keys.js';
import type { Address } from '../provider/provider.js';
import type { EnvironmentRecord } from './environment.js';
import { Server } from './server.js';

export const ADMIN_USER = 'testadmin';
export const CONNECT_DEADLINE_MS = 45_000;
const SETTLE_TIMEOUT_MS = 90_000;

/** What connecting needs of a server: its name, its address, and the host key to pin. */
export interface Reachable {
  name: string;
  address: Address;
  hostKey: HostKey;
}

/** Connects to the bastion from here, then to every other server through it, pinning each host key. */
export function connectServers(record: EnvironmentRecord, key: KeyPair, ctx: LogContext, withinMs = CONNECT_DEADLINE_MS): Promise<Server[]> {
  return new Connections(record.bastion, key, ctx, withinMs).servers(record);
}

/**
 * Connects to each server as soon as it is known to be up, not after the whole set: the bastion
 * directly, every other server through the bastion once both are up. At launch the handshakes
 * then overlap the boots of the servers still starting.
 */
export class Connections {
  private bastion?: Promise<SshConnection>;
  private readonly others = new Map<string, Promise<SshConnection>>();
  private readonly waiting: Reachable[] = [];
  private readonly creds: { user: string; privateKey: string };

  constructor(
    private readonly bastionName: string,
    key: KeyPair,
    private readonly ctx: LogContext,
    private readonly withinMs = CONNECT_DEADLINE_MS,
  ) {
    this.creds = { user: ADMIN_USER, privateKey: key.privateKey };
  }

  /** A server is up: connect to it now if its way in (the bastion) is known, else once it is. */
  add(s: Reachable): void {
    if (s.name === this.bastionName) {
      if (this.bastion) return;
      this.bastion = quiet(SshConnection.open(endpoint(s), this.creds, { deadline: Date.now() + this.withinMs, ctx: this.ctx }));
      this.waiting.splice(0).forEach((w) => this.viaBastion(w));
    } else if (!this.others.has(s.name)) {
      if (this.bastion) this.viaBastion(s);
      else if (!this.waiting.includes(s)) this.waiting.push(s);
    }
  }

  private viaBastion(s: Reachable): void {
    const deadline = Date.now() + this.withinMs;
    this.others.set(s.name, quiet(this.bastion!.then((via) => SshConnection.open(endpoint(s), this.creds, { via, deadline, ctx: this.ctx }))));
  }

  /** Every server of the record connected; on any failure, every connection made is closed and the first error thrown. */
  async servers(record: EnvironmentRecord): Promise<Server[]> {
    record.servers.forEach((s) => this.add(s));
    const settled = await Promise.allSettled(record.servers.map((s) => (s.name === this.bastionName ? this.bastion! : this.others.get(s.name)!)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      settled.forEach((r) => r.status === 'fulfilled' && r.value.close());
      throw (failed as PromiseRejectedResult).reason;
    }
    return record.servers.map((s, i) => new Server(s.name, s.role, (settled[i] as PromiseFulfilledResult<SshConnection>).value));
  }

  /** The launch failed: close whatever was connected, waiting for attempts still in flight. */
  async abandon(): Promise<void> {
    const all = [this.bastion, ...this.others.values()].filter((p): p is Promise<SshConnection> => !!p);
    const settled = await Promise.allSettled(all);
    settled.forEach((r) => r.status === 'fulfilled' && r.value.close());
  }
}

const endpoint = (s: Reachable) => ({ server: s.name, ...s.address, hostKey: s.hostKey });

/** A connection attempt nobody may await (the launch failed first) must not be an unhandled rejection. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
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
