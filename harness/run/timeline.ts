import type { WorkerState } from '../report/progress.js';
import type { TimelineEvent } from './results.js';

/** What each worker did and when, in ms since the run started: the report's timeline. */
export class Timeline {
  readonly events: TimelineEvent[] = [];
  private readonly t0 = Date.now();

  now(): number {
    return Date.now() - this.t0;
  }

  /** Times `work` as one bar on `worker`'s row; a throw is a failed bar, and is rethrown. */
  async span<T>(e: Omit<TimelineEvent, 'startMs' | 'endMs' | 'ok'>, work: () => Promise<T>, ok: (t: T) => boolean = () => true): Promise<T> {
    const startMs = this.now();
    try {
      const t = await work();
      this.events.push({ ...e, startMs, endMs: this.now(), ok: ok(t) });
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
