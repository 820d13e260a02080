import { InfrastructureError } from '../errors.js';
import { info, type LogContext } from '../log.js';
import type { Owner } from '../provider/labels.js';
import type { Address, Provider } from '../provider/provider.js';
import type { HostKey, KeyPair } from '../ssh/keys.js';
import type { Topology } from '../topology/schema.js';
import type { Server } from './server.js';

/** What an environment is made of, enough to reach it again from another process. */
export interface EnvironmentRecord {
  id: string;
  run: string;
  provider: string;
  topology: string;
  version: string;
  /** The base image its role images were baked on. */
  base?: string;
  defects: string[];
  keep: boolean;
  expires: string;
  bastion: string;
  servers: { name: string; role: string; image: string; address: Address; hostKey: HostKey }[];
}

export interface Timings {
  preflightMs: number;
  launchMs: number;
  sshMs: number;
  settleMs: number;
  convergeMs: number;
  /** Every server accepts the run's key through the bastion. */
  sshReadyMs: number;
  /** SSH-ready, systemd settled on every server, defects converged. */
  readyMs: number;
}

/** When a unit ran on an environment: later units' log checks excuse what it logged in between. */
export interface UnitWindow {
  start: Date;
  end: Date;
}

/** A set of servers that are up and reachable through the bastion. */
export class RunningEnvironment {
  private destroyed = false;
  /** When each unit run on it began and ended: what later units' log checks excuse. */
  readonly unitWindows: UnitWindow[] = [];

  constructor(
    readonly record: EnvironmentRecord,
    readonly topology: Topology,
    readonly provider: Provider,
    readonly owner: Owner,
    readonly key: KeyPair,
    private readonly all: Server[],
    readonly timings: Timings,
    readonly ctx: LogContext,
  ) {}

  get id(): string {
    return this.record.id;
  }

  /** Every server, or those of one role. */
  servers(role?: string): Server[] {
    this.assertRunning();
    return role ? this.all.filter((s) => s.role === role) : [...this.all];
  }

  server(name: string): Server {
    const s = this.servers().find((x) => x.name === name);
    if (!s) throw new InfrastructureError(`environment ${this.id} has no server '${name}' (has: ${this.all.map((x) => x.name).join(', ')})`);
    return s;
  }

  get bastion(): Server {
    return this.server(this.record.bastion);
  }

  /** Closes every connection and stops this object being used; the servers keep running (a kept environment). */
  disconnect(): void {
    this.destroyed = true;
    for (const s of this.all) s.ssh.close();
  }

  /** Closes every connection and removes every object; what is left is a record. */
  async destroy(): Promise<DestroyedEnvironment> {
    const started = Date.now();
    this.disconnect();
    await this.provider.destroy(this.id);
    const destroyMs = Date.now() - started;
    info(this.ctx, `destroyed in ${destroyMs} ms`);
    return { record: this.record, destroyMs };
  }

  private assertRunning(): void {
    if (this.destroyed) throw new InfrastructureError(`environment ${this.id} was destroyed; its servers cannot be used`);
  }
}

/** An environment after destroy: only the record of what it was. */
export interface DestroyedEnvironment {
  record: EnvironmentRecord;
  destroyMs: number;
}
