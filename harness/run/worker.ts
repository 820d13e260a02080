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
  /** Every worker of the run: a worker may take over another's spare. */
  workers: Worker[];
  /** How an environment is launched; tests give a fake. */
  launch?: (o: LaunchOptions) => Promise<RunningEnvironment>;
}

/** A worker readies at most this many environments ahead of its units (two: a short breaking unit and the unit after it, say). */
const MAX_SPARES = 2;

/** One worker: holds one environment at a time, keeps it while it is fit, replaces it when not. */
export class Worker {
  env?: RunningEnvironment;
  baseline?: unknown;
  /** Set when the worker could not get an environment: it takes no more units. */
  retired?: string;
  readonly environments: EnvironmentReport[] = [];
  /** Environments launching (or launched) in the background for its next units, first wanted first. */
  private spares: Spare[] = [];
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
    return this.env?.topology.name ?? this.spares[0]?.topology.name;
  }

  /** Its environment has this topology and (for a unit that needs a `fresh` one) no unit has run on it yet. */
  private fits(topology: string, fresh: boolean): boolean {
    const used = (this.env?.unitWindows.length ?? 0) > 0;
    return this.env?.topology.name === topology && !(fresh && used);
  }

  setupMs(topology: string, fresh: boolean): number | undefined {
    const spare = this.soonestSpare(topology)?.spare;
    if (this.fits(topology, fresh) || spare?.isReady()) return 0;
    const launch = this.s.launchTimes.expectedMs(topology);
    return launch === undefined || !spare ? launch : Math.max(1, launch - spare.elapsedMs());
  }

  /** The current environment if it fits, else its spare if it has this topology, else a fresh launch. */
  async environmentFor(topology: Topology, fresh = false): Promise<RunningEnvironment> {
    if (this.env && this.fits(topology.name, fresh)) return this.env;
    if (this.env) this.discard(this.env.topology.name === topology.name ? 'replaced: the next unit needs a fresh environment' : `replaced by one of topology ${topology.name}`);
    // Spares of other topologies stay: they are for later units (or go when no unit still to come has their topology).
    const spare = this.spareOf(topology.name);
    if (spare) this.spares.splice(this.spares.indexOf(spare), 1);
    const ready = (spare && (await this.adopt(spare))) || (await this.launch(topology));
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

  /** Its spare of this topology that has not failed: a ready one first, else the one launched first. */
  private spareOf(topology: string): Spare | undefined {
    const fit = this.spares.filter((s) => s.topology.name === topology && !s.failed);
    return fit.find((s) => s.isReady()) ?? fit[0];
  }

  /**
   * The spare of this topology, of any worker, that serves a unit soonest: a ready one (its own
   * first), else the one launched first. Which worker runs a unit is a guess until it is handed
   * out, so a spare readied for a unit another worker ended up taking serves there.
   */
  private soonestSpare(topology: string): { owner: Worker; spare: Spare } | undefined {
    const all = [this, ...this.s.workers.filter((w) => w !== this)].flatMap((owner) =>
      owner.spares.filter((x) => x.topology.name === topology && !x.failed).map((spare) => ({ owner, spare })),
    );
    return all.find((c) => c.spare.isReady()) ?? all.sort((a, b) => a.spare.startedAt - b.spare.startedAt)[0];
  }

  /**
   * For a unit just handed to it: without a fit environment, it takes over another worker's spare
   * when that one serves sooner than any of its own (that worker readies another at its next unit if it still needs one).
   */
  claimSpare(topology: string, fresh: boolean): void {
    if (this.fits(topology, fresh)) return;
    const found = this.soonestSpare(topology);
    if (!found || found.owner === this) return;
    found.owner.spares.splice(found.owner.spares.indexOf(found.spare), 1);
    this.spares.unshift(found.spare);
    info({ run: this.s.run, worker: this.id }, `took over worker ${found.owner.id}'s spare of ${topology}`);
  }

  /**
   * Makes sure it has a spare for each of these topologies (its next units', in order), launching
   * the missing ones in the background through the run's launch queue (after the launches workers
   * wait on), at most MAX_SPARES at a time, within the run's room for environments. A spare no
   * longer wanted makes way for a wanted one.
   */
  prepareSpares(wanted: Topology[]): void {
    if (this.retired || this.s.signal.aborted) return;
    this.spares.filter((s) => s.failed).forEach((s) => this.removeSpare(s));
    const surplus = [...this.spares];
    const missing = wanted.filter((t) => {
      const at = surplus.findIndex((s) => s.topology.name === t.name);
      if (at >= 0) surplus.splice(at, 1);
      return at < 0;
    });
    for (const topology of missing) {
      if (this.spares.length >= MAX_SPARES) {
        const extra = surplus.shift();
        if (!extra) return;
        this.removeSpare(extra);
      }
      // Spares not landed are counted beside `launched`: a queued one has no id there yet (one in flight
      // is counted twice, which errs on the side of room).
      const unlanded = this.spares.filter((s) => !s.isReady()).length;
      if (this.s.launched.size + unlanded >= this.s.maxEnvironments) return;
      this.spares.push(new Spare(topology, (spare) => this.launcher.spare(spare), (e) => info({ run: this.s.run, worker: this.id }, `spare launch failed (${e.message.split('\n')[0]}); the next unit launches its own`)));
    }
  }

  /** Drops the spares whose topology no unit still to come has. */
  dropSpareUnless(wanted: Set<string>): void {
    this.spares.filter((s) => !wanted.has(s.topology.name)).forEach((s) => this.removeSpare(s));
  }

  private removeSpare(spare: Spare): void {
    this.spares.splice(this.spares.indexOf(spare), 1);
    this.dropSpare(spare);
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

  /** Destroys its environment and its spares, and waits for every destroy it started. */
  async close(fate: string): Promise<void> {
    if (this.env) this.s.progress.set(this.id, 'destroying', this.env.id);
    this.discard(fate);
    this.spares.splice(0).forEach((s) => this.dropSpare(s));
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
