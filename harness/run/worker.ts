import type PQueue from 'p-queue';
import type { RunningEnvironment } from '../environment/environment.js';
import { launchEnvironment } from '../environment/launch.js';
import { saveKept } from '../environment/state.js';
import { BadInputError, InfrastructureError, InterruptedError } from '../errors.js';
import { info } from '../log.js';
import type { Provider } from '../provider/provider.js';
import type { Topology } from '../topology/schema.js';
import type { HealthVerdict } from './health.js';
import type { EnvironmentReport, KeptEnvironment } from './results.js';
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
}

/**
 * Testing hook: SHAKEDOWN_FAIL_LAUNCHES=N makes the first N launch attempts of this process fail
 * as a transient engine error would, to exercise retries and the infrastructure-error path.
 */
let injectedFailures = Number(process.env.SHAKEDOWN_FAIL_LAUNCHES ?? 0);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal.removeEventListener('abort', wake), resolve()), ms);
    signal.addEventListener('abort', wake, { once: true });
  });

/** One worker: holds at most one environment, keeps it while it is fit, replaces it when not. */
export class Worker {
  env?: RunningEnvironment;
  baseline?: unknown;
  /** Set when the worker could not get an environment: it takes no more units. */
  retired?: string;
  readonly environments: EnvironmentReport[] = [];

  constructor(
    readonly id: number,
    private readonly s: WorkerSetup,
  ) {}

  gateOf(): Gate | undefined {
    return this.s.gate;
  }

  topology(): string | undefined {
    return this.env?.topology.name;
  }

  /**
   * The current environment if it has this topology (and, for a unit that needs a `fresh` one, no
   * unit has run on it yet), else a fresh one (the old one destroyed).
   */
  async environmentFor(topology: Topology, fresh = false): Promise<RunningEnvironment> {
    const used = (this.env?.unitWindows.length ?? 0) > 0;
    if (this.env && this.env.topology.name === topology.name && !(fresh && used)) return this.env;
    if (this.env) await this.discard(this.env.topology.name === topology.name ? 'replaced: the next unit needs a fresh environment' : `replaced by one of topology ${topology.name}`);
    this.env = await this.launch(topology);
    return this.env;
  }

  /** Launches with retries and exponential backoff; after the last try the worker retires. */
  private async launch(topology: Topology): Promise<RunningEnvironment> {
    for (let attempt = 1; ; attempt++) {
      if (this.s.signal.aborted) throw new InterruptedError('interrupted before launch');
      this.s.progress.set(this.id, 'launching', `${topology.name}${attempt > 1 ? ` (try ${attempt}/${this.s.launchTries})` : ''}`);
      try {
        const env = await this.s.timeline.span({ worker: this.id, kind: 'launch', label: `launch ${topology.name}` }, () =>
          this.s.launches.add(() => this.launchOnce(topology), { throwOnTimeout: true }),
        );
        this.baseline = await this.s.gate?.baseline(env);
        this.environments.push(reportOf(env, this.id));
        return env;
      } catch (error) {
        if (error instanceof BadInputError || this.s.signal.aborted) throw error;
        const why = (error as Error).message.split('\n')[0]!;
        if (attempt >= this.s.launchTries) {
          this.retired = `no environment after ${attempt} tries: ${why}`;
          throw new InfrastructureError(`worker ${this.id}: ${this.retired}`);
        }
        const wait = this.s.backoffMs * 2 ** (attempt - 1);
        info({ run: this.s.run, worker: this.id }, `launch failed (${why}); trying again in ${wait} ms`);
        this.s.progress.set(this.id, 'waiting', `launch try ${attempt + 1} in ${Math.round(wait / 1000)}s`);
        await this.s.timeline.span({ worker: this.id, kind: 'backoff', label: `backoff ${wait} ms`, note: why }, () => sleep(wait, this.s.signal));
      }
    }
  }

  private async launchOnce(topology: Topology): Promise<RunningEnvironment> {
    // A launch that waited in the queue past an interrupt must not start: the cleanup has already run.
    if (this.s.signal.aborted) throw new InterruptedError('interrupted before launch');
    if (injectedFailures > 0) {
      injectedFailures--;
      throw new InfrastructureError('injected launch failure (SHAKEDOWN_FAIL_LAUNCHES)');
    }
    return launchEnvironment({
      topology,
      provider: this.s.provider,
      run: this.s.run,
      worker: this.id,
      keep: false,
      ttlMs: this.s.ttlMs,
      onId: (id) => this.s.launched.add(id),
    });
  }

  /** Destroys the environment (if any), recording why. */
  async discard(fate: string): Promise<void> {
    const env = this.env;
    if (!env) return;
    this.env = undefined;
    this.s.progress.set(this.id, 'destroying', env.id);
    const report = this.environments.find((e) => e.id === env.id);
    if (report) report.fate = fate;
    await this.s.timeline
      .span({ worker: this.id, kind: 'destroy', label: `destroy ${env.id}`, env: env.id, note: fate }, () => env.destroy())
      .then((d) => report && (report.timings.destroyMs = d.destroyMs))
      .catch((e: Error) => info(env.ctx, `destroy failed: ${e.message}`));
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
