import type PQueue from 'p-queue';
import type { RunningEnvironment } from '../environment/environment.js';
import type { LaunchOptions } from '../environment/launch.js';
import { saveKept } from '../environment/state.js';
import { info } from '../log.js';
import type { Provider } from '../provider/provider.js';
import type { Topology } from '../topology/schema.js';
import type { HealthVerdict } from './health.js';
import { Launcher } from './launcher.js';
import type { LaunchTimes } from './launch-times.js';
import type { EnvironmentReport, KeptEnvironment } from './results.js';
import { Spare, type Ready } from './spare.js';
import type { ProgressSink, Timeline } from './timeline.js';

/** The health gate: what holds right after launch, and whether it still holds after a unit. */
export interface Gate {
  baseline(env: RunningEnvironment): Promise<unknown>;
  check(env: RunningEnvironment, baseline: unknown): Promise<HealthVerdict>;
}

/** What every worker of a run shares. */
export interface WorkerSetup {
  provider: Provider;
  run: string;
  ttlMs: number;
  /** Bounds concurrent launches, so N workers do not all boot N environments at once. */
  launches: PQueue;
  launchTries: number;
  backoffMs: number;
  timeline: Timeline;
  progress: ProgressSink;
  gate?: Gate;
  signal: AbortSignal;
  /** Every environment id, as soon as it is chosen: an interrupt destroys them. */
  launched: Set<string>;
  /** No spare is launched while this many environments exist (the host's room for servers). */
  maxEnvironments: number;
  launchTimes: LaunchTimes;
  /** How an environment is launched; tests give a fake. */
  launch?: (o: LaunchOptions) => Promise<RunningEnvironment>;
}

/** One worker: holds one environment at a time, keeps it while it is fit, replaces it when not. */
export class Worker {
  env?: RunningEnvironment;
  baseline?: unknown;
  /** Set when the worker could not get an environment: it takes no more units. */
  retired?: string;
  readonly environments: EnvironmentReport[] = [];
  private spare?: Spare;
  /** Destroys and spare drops under way: the worker does not wait for them, the end of the run does. */
  private readonly behind = new Set<Promise<void>>();
  private readonly launcher: Launcher;

  constructor(
    readonly id: number,
    private readonly s: WorkerSetup,
  ) {
    this.launcher = new Launcher(id, s);
  }

  gateOf(): Gate | undefined {
    return this.s.gate;
  }

  topology(): string | undefined {
    return this.env?.topology.name ?? this.spare?.topology.name;
  }

  /** Its environment has this topology and (for a unit that needs a `fresh` one) no unit has run on it yet. */
  private fits(topology: string, fresh: boolean): boolean {
    const used = (this.env?.unitWindows.length ?? 0) > 0;
    return this.env?.topology.name === topology && !(fresh && used);
  }

  setupMs(topology: string, fresh: boolean): number | undefined {
    const spare = this.spare?.topology.name === topology && !this.spare.failed ? this.spare : undefined;
    if (this.fits(topology, fresh) || spare?.isReady()) return 0;
    const launch = this.s.launchTimes.expectedMs(topology);
    return launch === undefined || !spare ? launch : Math.max(1, launch - spare.elapsedMs());
  }

  /** The current environment if it fits, else its spare if it has this topology, else a fresh launch. */
  async environmentFor(topology: Topology, fresh = false): Promise<RunningEnvironment> {
    if (this.env && this.fits(topology.name, fresh)) return this.env;
    if (this.env) this.discard(this.env.topology.name === topology.name ? 'replaced: the next unit needs a fresh environment' : `replaced by one of topology ${topology.name}`);
    const spare = this.spare;
    this.spare = undefined;
    let ready: Ready | undefined;
    if (spare?.topology.name === topology.name) ready = await this.adopt(spare);
    else if (spare) this.dropSpare(spare);
    ready ??= await this.launch(topology);
    this.env = ready.env;
    this.baseline = ready.baseline;
    return this.env;
  }

  /** A fresh environment; a worker that cannot get one retires. */
  private async launch(topology: Topology): Promise<Ready> {
    const ready = await this.launcher.withRetries(topology, (why) => (this.retired = why));
    this.environments.push(reportOf(ready.env, this.id));
    return ready;
  }

  private async adopt(spare: Spare): Promise<Ready | undefined> {
    this.s.progress.set(this.id, 'launching', `${spare.topology.name} (spare)`);
    const ready = await spare.take();
    if (!ready) return undefined;
    this.environments.push(reportOf(ready.env, this.id));
    return ready;
  }

  /**
   * Starts launching an environment for the next unit in the background, through the run's launch
   * queue (after the launches workers wait on) and within the run's room for environments.
   */
  prepareSpare(topology: Topology): void {
    if (this.spare || this.retired || this.s.signal.aborted || this.s.launched.size >= this.s.maxEnvironments) return;
    this.spare = new Spare(topology, (spare) => this.launcher.spare(spare), (e) => info({ run: this.s.run, worker: this.id }, `spare launch failed (${e.message.split('\n')[0]}); the next unit launches its own`));
  }

  /** Drops its spare unless a unit still to come has the spare's topology. */
  dropSpareUnless(wanted: Set<string>): void {
    if (!this.spare || wanted.has(this.spare.topology.name)) return;
    this.dropSpare(this.spare);
    this.spare = undefined;
  }

  private dropSpare(spare: Spare): void {
    this.inBackground(spare.drop(async ({ env }) => {
      this.environments.push(reportOf(env, this.id));
      await this.destroy(env, 'a spare no unit needed');
    }));
  }

  /** Lets the environment (if any) go, recording why; it is destroyed in the background. */
  discard(fate: string): void {
    const env = this.env;
    if (!env) return;
    this.env = undefined;
    const report = this.environments.find((e) => e.id === env.id);
    if (report) report.fate = fate;
    this.inBackground(this.destroy(env, fate));
  }

  /** Destroys its environment and its spare, and waits for every destroy it started. */
  async close(fate: string): Promise<void> {
    if (this.env) this.s.progress.set(this.id, 'destroying', this.env.id);
    this.discard(fate);
    if (this.spare) this.dropSpare(this.spare);
    this.spare = undefined;
    while (this.behind.size) await Promise.all([...this.behind]);
  }

  private inBackground(work: Promise<void>): void {
    const tracked = work.finally(() => this.behind.delete(tracked));
    this.behind.add(tracked);
  }

  private async destroy(env: RunningEnvironment, fate: string): Promise<void> {
    const report = this.environments.find((e) => e.id === env.id);
    await this.s.timeline
      .span({ worker: this.id, kind: 'destroy', label: `destroy ${env.id}`, env: env.id, note: fate, background: true }, () => env.destroy())
      .then((d) => report && (report.timings.destroyMs = d.destroyMs))
      .catch((e: Error) => info(env.ctx, `destroy failed: ${e.message}`));
    if (report && !report.fate) report.fate = fate;
    this.s.launched.delete(env.id);
  }

  /**
   * Leaves the environment running for debugging: its state file (record and key) lets
   * `shakedown env ssh` reach it, and tells the janitor to spare it until `expires`.
   */
  keep(unit: string, ttlMs: number): KeptEnvironment | undefined {
    const env = this.env;
    if (!env) return undefined;
    this.env = undefined;
    const expires = new Date(Date.now() + ttlMs).toISOString();
    saveKept({ record: { ...env.record, keep: true, expires }, key: env.key });
    env.disconnect();
    this.s.launched.delete(env.id);
    const report = this.environments.find((e) => e.id === env.id);
    if (report) report.fate = `kept for debugging until ${expires}`;
    return { env: env.id, unit, expires, commands: env.record.servers.map((s) => `npx shakedown env ssh ${env.id} ${s.name} --exec`) };
  }
}

function reportOf(env: RunningEnvironment, worker: number): EnvironmentReport {
  return {
    id: env.id,
    worker,
    topology: env.topology.name,
    defects: env.record.defects,
    servers: env.record.servers.map(({ name, role, image }) => ({ name, role, image })),
    timings: { ...env.timings },
  };
}
