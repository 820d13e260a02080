import type { WorkerState } from '../report/progress.js';
import type { TimelineEvent } from './results.js';

/** What each worker did and when, in ms since the run started: the report's timeline. */
export class Timeline {
  readonly events: TimelineEvent[] = [];
  private readonly t0 = Date.now();

  now(): number {
    return Date.now() - this.t0;
  }

  /**
   * Times `work` as one bar on `worker`'s row; a throw is a failed bar, and is rethrown. `after`
   * reads the bar's outcome and, for a launch, its environment off the result.
   */
  async span<T>(e: Omit<TimelineEvent, 'startMs' | 'endMs' | 'ok'>, work: () => Promise<T>, after: (t: T) => { ok?: boolean; env?: string } = () => ({})): Promise<T> {
    const startMs = this.now();
    try {
      const t = await work();
      const { ok = true, env = e.env } = after(t);
      this.events.push({ ...e, startMs, endMs: this.now(), ok, ...(env === undefined ? {} : { env }) });
      return t;
    } catch (error) {
      this.events.push({ ...e, startMs, endMs: this.now(), ok: false, note: (error as Error).message?.split('\n')[0] });
      throw error;
    }
  }
}


export interface ProgressSink {
  set(worker: number, state: WorkerState, label?: string): void;
  unitDone(worker: number, unit: string, outcome: string, ms: number): void;
  stop(): void;
}
