import type { RunningEnvironment } from '../environment/environment.js';
import type { Topology } from '../topology/schema.js';
import type { PlannedUnit } from './unit-run.js';

/** A launched environment with what the health gate saw right after its launch. */
export interface Ready {
  env: RunningEnvironment;
  baseline: unknown;
}

/**
 * An environment launched in the background for a worker's next unit, while its current one runs
 * (or its broken environment goes), so the launch is off the worker's path. Nobody needing it,
 * it is dropped: destroyed as soon as its launch has landed, or never started if still queued.
 */
export class Spare {
  readonly startedAt = Date.now();
  private landed?: Ready;
  private dropped = false;
  /** Its launch failed: the worker launches as usual. */
  failed = false;
  /** Settles with the environment, or undefined if the launch failed (the worker then launches as usual). */
  private readonly ready: Promise<Ready | undefined>;

  constructor(
    readonly topology: Topology,
    launch: (spare: Spare) => Promise<Ready>,
    onFailure: (error: Error) => void,
  ) {
    this.ready = launch(this).then(
      (r) => (this.landed = r),
      (error: Error) => {
        this.failed = true;
        if (!this.dropped) onFailure(error);
        return undefined;
      },
    );
  }

  /** Whether its launch should still start: a launch that waited in the queue past a drop must not. */
  get wanted(): boolean {
    return !this.dropped;
  }

  isReady(): boolean {
    return this.landed !== undefined;
  }

  /** Ms since the launch began: what is left of it is the expected launch time minus this. */
  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Waits for the launch and hands the environment over. */
  take(): Promise<Ready | undefined> {
    return this.ready;
  }

  /** Not needed: the environment is destroyed by `destroy` once its launch has landed. */
  async drop(destroy: (r: Ready) => Promise<void>): Promise<void> {
    this.dropped = true;
    const r = await this.ready;
    if (r) await destroy(r);
  }
}

/**
 * The topology a spare is launched with: the unit's own when a unit still to come has it (one
 * that is not an upgrade's, whose topology carries the upgrade's source), else the next unit's.
 */
export function spareTopology(topology: string, waiting: PlannedUnit[]): Topology | undefined {
  const same = waiting.filter((p) => p.topology.name === topology);
  return (same.find((p) => !p.unit.upgrade) ?? same[0] ?? waiting[0])?.topology;
}
