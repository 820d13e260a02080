import type { RunningEnvironment } from '../environment/environment.js';
import { launchEnvironment } from '../environment/launch.js';
import { BadInputError, InfrastructureError, InterruptedError } from '../errors.js';
import { info } from '../log.js';
import type { Topology } from '../topology/schema.js';
import type { Ready, Spare } from './spare.js';
import type { WorkerSetup } from './worker.js';

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

/** A worker's launches, all through the run's launch queue: the ones it waits for first, then spares. */
export class Launcher {
  constructor(
    private readonly worker: number,
    private readonly s: WorkerSetup,
  ) {}

  /** Launches with retries and exponential backoff; after the last try, `retire` is told why and it throws. */
  async withRetries(topology: Topology, retire: (why: string) => void): Promise<Ready> {
    for (let attempt = 1; ; attempt++) {
      if (this.s.signal.aborted) throw new InterruptedError('interrupted before launch');
      this.s.progress.set(this.worker, 'launching', `${topology.name}${attempt > 1 ? ` (try ${attempt}/${this.s.launchTries})` : ''}`);
      try {
        const env = await this.s.timeline.span({ worker: this.worker, kind: 'launch', label: `launch ${topology.name}` }, () =>
          this.s.launches.add(() => this.once(topology), { throwOnTimeout: true, priority: 1 }),
        (env) => ({ env: env.id }));
        return { env, baseline: await this.baselineOf(env) };
      } catch (error) {
        if (error instanceof BadInputError || this.s.signal.aborted) throw error;
        const why = (error as Error).message.split('\n')[0]!;
        if (attempt >= this.s.launchTries) {
          retire(`no environment after ${attempt} tries: ${why}`);
          throw new InfrastructureError(`worker ${this.worker}: no environment after ${attempt} tries: ${why}`);
        }
        await this.backoff(attempt, why);
      }
    }
  }

  private async backoff(attempt: number, why: string): Promise<void> {
    const wait = this.s.backoffMs * 2 ** (attempt - 1);
    info({ run: this.s.run, worker: this.worker }, `launch failed (${why}); trying again in ${wait} ms`);
    this.s.progress.set(this.worker, 'waiting', `launch try ${attempt + 1} in ${Math.round(wait / 1000)}s`);
    await this.s.timeline.span({ worker: this.worker, kind: 'backoff', label: `backoff ${wait} ms`, note: why }, () => sleep(wait, this.s.signal));
  }

  /** One try, in the background, after every launch a worker waits for; it does not start once the spare is dropped. */
  async spare(spare: Spare): Promise<Ready> {
    const label = `spare ${spare.topology.name}`;
    const env = await this.s.timeline.span({ worker: this.worker, kind: 'launch', label, background: true }, () =>
      this.s.launches.add(() => (spare.wanted ? this.once(spare.topology) : Promise.reject(new InterruptedError('spare no longer needed'))), { throwOnTimeout: true, priority: 0 }),
    (env) => ({ env: env.id }));
    return { env, baseline: await this.baselineOf(env) };
  }

  /** What the health gate sees right after launch; an environment it cannot even read goes at once. */
  private async baselineOf(env: RunningEnvironment): Promise<unknown> {
    try {
      return await this.s.gate?.baseline(env);
    } catch (error) {
      await env.destroy().catch(() => undefined);
      this.s.launched.delete(env.id);
      throw error;
    }
  }

  private async once(topology: Topology): Promise<RunningEnvironment> {
    // A launch that waited in the queue past an interrupt must not start: the cleanup has already run.
    if (this.s.signal.aborted) throw new InterruptedError('interrupted before launch');
    if (injectedFailures > 0) {
      injectedFailures--;
      throw new InfrastructureError('injected launch failure (SHAKEDOWN_FAIL_LAUNCHES)');
    }
    const started = Date.now();
    const env = await (this.s.launch ?? launchEnvironment)({
      topology,
      provider: this.s.provider,
      run: this.s.run,
      worker: this.worker,
      keep: false,
      ttlMs: this.s.ttlMs,
      onId: (id) => this.s.launched.add(id),
    });
    this.s.launchTimes.record(topology.name, Date.now() - started);
    return env;
  }
}
