import type { LogContext } from '../log.js';
import type { LaunchedServer } from '../provider/provider.js';
import { SshConnection } from '../ssh/connection.js';
import type { KeyPair } from '../ssh/keys.js';
import { ADMIN_USER, CONNECT_DEADLINE_MS } from './connect.js';
import type { EnvironmentRecord } from './environment.js';
import { Server } from './server.js';

/**
 * Connects to each server as soon as the provider says it is up, instead of after the whole set:
 * the bastion directly, every other server through the bastion once both are up. The handshakes
 * then overlap the boots of the servers still starting. Host keys are pinned as in connectServers.
 */
export class EarlyConnections {
  private bastion?: Promise<SshConnection>;
  private readonly others = new Map<string, Promise<SshConnection>>();
  private readonly waiting: LaunchedServer[] = [];
  private readonly creds: { user: string; privateKey: string };

  constructor(
    private readonly bastionName: string,
    key: KeyPair,
    private readonly ctx: LogContext,
  ) {
    this.creds = { user: ADMIN_USER, privateKey: key.privateKey };
  }

  /** A server is up: connect to it now if its way in (the bastion) is known, else once it is. */
  add(l: LaunchedServer): void {
    if (l.spec.name === this.bastionName) {
      if (this.bastion) return;
      this.bastion = quiet(SshConnection.open(endpoint(l), this.creds, { deadline: Date.now() + CONNECT_DEADLINE_MS, ctx: this.ctx }));
      this.waiting.splice(0).forEach((w) => this.viaBastion(w));
    } else if (!this.others.has(l.spec.name)) {
      if (this.bastion) this.viaBastion(l);
      else if (!this.waiting.includes(l)) this.waiting.push(l);
    }
  }

  private viaBastion(l: LaunchedServer): void {
    const deadline = Date.now() + CONNECT_DEADLINE_MS;
    this.others.set(l.spec.name, quiet(this.bastion!.then((via) => SshConnection.open(endpoint(l), this.creds, { via, deadline, ctx: this.ctx }))));
  }

  /** Every server of the record connected; on any failure, every connection made is closed and the first error thrown. */
  async servers(record: EnvironmentRecord, launched: LaunchedServer[]): Promise<Server[]> {
    launched.forEach((l) => this.add(l));
    const names = record.servers.map((s) => s.name);
    const settled = await Promise.allSettled(names.map((n) => (n === this.bastionName ? this.bastion! : this.others.get(n)!)));
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

const endpoint = (l: LaunchedServer) => ({ server: l.spec.name, ...l.address, hostKey: l.hostKey });

/** A connection attempt nobody may await (the launch failed first) must not be an unhandled rejection. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
