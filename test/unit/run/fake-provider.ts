import { RunningEnvironment } from '../../../harness/environment/environment.js';
import { newEnvId } from '../../../harness/environment/ids.js';
import type { LaunchOptions } from '../../../harness/environment/launch.js';
import type { Owner } from '../../../harness/provider/labels.js';
import type { LaunchRequest, LaunchedServer, Leftover, Provider } from '../../../harness/provider/provider.js';
import type { UnitRunSetup } from '../../../harness/run/unit-run.js';
import type { KeyPair } from '../../../harness/ssh/keys.js';
import type { Unit } from '../../../harness/suite/plan.js';
import type { Topology } from '../../../harness/topology/schema.js';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** One launch as the fake saw it; times in ms since the fake was made. */
export interface LaunchSeen {
  env: string;
  worker: number;
  startMs: number;
  endMs?: number;
}

/**
 * An in-memory provider: an environment exists (labelled with its owner) from the moment its
 * launch begins until its destroy ends; a launch whose environment is destroyed meanwhile fails,
 * as a launch into a removed network does.
 */
export class FakeProvider implements Provider {
  readonly name = 'fake';
  readonly live = new Map<string, Owner>();
  readonly launches: LaunchSeen[] = [];
  readonly destroys: { env: string; startMs: number; endMs?: number }[] = [];
  private readonly t0 = Date.now();

  constructor(readonly delays: { launchMs: number; destroyMs: number }) {}

  now(): number {
    return Date.now() - this.t0;
  }

  async preflight(): Promise<void> {}

  async launch(request: LaunchRequest): Promise<LaunchedServer[]> {
    const seen: LaunchSeen = { env: request.owner.env, worker: request.owner.worker, startMs: this.now() };
    this.launches.push(seen);
    this.live.set(request.owner.env, request.owner);
    await sleep(this.delays.launchMs);
    if (!this.live.has(request.owner.env)) throw new Error(`environment ${request.owner.env} was destroyed during its launch`);
    seen.endMs = this.now();
    return [];
  }

  async destroy(envId: string): Promise<void> {
    const seen: { env: string; startMs: number; endMs?: number } = { env: envId, startMs: this.now() };
    this.destroys.push(seen);
    await sleep(this.delays.destroyMs);
    this.live.delete(envId);
    seen.endMs = this.now();
  }

  async leftovers(): Promise<Leftover[]> {
    return [...this.live.keys()].map((id) => ({ kind: 'network', id, name: id, labels: { 'shakedown.env': id } }));
  }

  async remove(): Promise<void> {}
  reboot(): Promise<void> {
    throw new Error('not in the fake');
  }
  relaunch(): Promise<LaunchedServer> {
    throw new Error('not in the fake');
  }
  address(): Promise<never> {
    throw new Error('not in the fake');
  }
  consoleBoots(): Promise<number> {
    throw new Error('not in the fake');
  }
  hostKey(): Promise<never> {
    throw new Error('not in the fake');
  }
}

/** launchEnvironment without SSH: the provider's launch, then an environment of no servers. */
export async function fakeLaunch(o: LaunchOptions): Promise<RunningEnvironment> {
  const id = newEnvId();
  o.onId?.(id);
  const ctx = { run: o.run, worker: o.worker, env: id };
  const owner: Owner = { run: o.run, env: id, worker: o.worker, topology: o.topology.name, keep: false, expires: new Date(Date.now() + o.ttlMs) };
  await o.provider.launch({ owner, servers: [], authorizedKey: '', ctx });
  const record = { id, run: o.run, provider: 'fake', topology: o.topology.name, version: 'v1', defects: [], keep: false, expires: owner.expires.toISOString(), bastion: 'bastion', servers: [] };
  const timings = { preflightMs: 0, launchMs: 0, sshMs: 0, settleMs: 0, convergeMs: 0, sshReadyMs: 0, readyMs: 0 };
  return new RunningEnvironment(record, o.topology, o.provider, owner, {} as KeyPair, [], timings, ctx);
}

/** One unit run as the fake runner saw it. */
export interface RunSeen {
  unit: string;
  env: string;
  worker: number;
  startMs: number;
  endMs: number;
}

/** Units that take the given time (ms) on their environment; an interrupt ends them early. */
export function fakeRunner(provider: FakeProvider, durations: Record<string, number>, seen: RunSeen[]): NonNullable<UnitRunSetup['runUnit']> {
  return async (unit, env, opts) => {
    const startMs = provider.now();
    const start = new Date();
    await sleep(durations[unit.name] ?? 0, opts?.signal);
    env.unitWindows.push({ start, end: new Date() });
    seen.push({ unit: unit.name, env: env.id, worker: env.owner.worker, startMs, endMs: provider.now() });
    return { results: [], broken: undefined };
  };
}

export const topology = (name = 'small') => ({ name }) as Topology;
export const unit = (name: string, breaks?: string): Unit => ({ name, suite: name.split('/')[0]!, breaks, steps: [] });
