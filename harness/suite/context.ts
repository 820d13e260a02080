import { AsyncLocalStorage } from 'node:async_hooks';
import { InfrastructureError } from '../errors.js';
import type { RunningEnvironment, UnitWindow } from '../environment/environment.js';
import type { FaultRecord } from './faults/fault.js';

/**
 * What a running unit sees. Workers run units side by side in one process, so this lives in
 * async-local storage: each unit's specs, hooks and actions see their own worker's environment.
 */
export interface UnitContext {
  env: RunningEnvironment;
  /** When the current suite (spec step) started: the point from which "no new errors" is judged. */
  suiteStartedAt: Date;
  /** When the unit's lifecycle action began, if it has one. */
  actionStartedAt?: Date;
  /** Set by markBroken(): the environment must not be reused. */
  broken?: string;
  /** When the units run earlier on this environment began and ended. */
  earlierUnits: UnitWindow[];
  /** Whatever the unit's spec files and action share (module state is shared by all workers). */
  shared: Map<string, unknown>;
  /** The faults its specs applied, reverted or not: the report lists them. */
  faults: FaultRecord[];
}

const storage = new AsyncLocalStorage<UnitContext>();

/** Runs `work` with `ctx` as the current unit context (and everything it schedules). */
export function withUnitContext<T>(ctx: UnitContext, work: () => T): T {
  return storage.run(ctx, work);
}

export function unitContext(): UnitContext {
  const ctx = storage.getStore();
  if (!ctx) throw new InfrastructureError('no environment: suites run through `shakedown run`, not on their own');
  return ctx;
}

/** The current unit's context, if code runs inside one. */
export function currentUnit(): UnitContext | undefined {
  return storage.getStore();
}

/** The environment a suite runs against. */
export function environment(): RunningEnvironment {
  return unitContext().env;
}

/** When the current suite started: the point from which "no new errors" is judged. */
export function suiteStart(): Date {
  return unitContext().suiteStartedAt;
}

/**
 * When the current unit's lifecycle action began, if it has one: suites re-run after an action
 * judge the logs from there, not from earlier suites that broke things on purpose.
 */
export function actionStart(): Date | undefined {
  return unitContext().actionStartedAt;
}

/**
 * Declares at run time that this unit has broken its environment (killed a daemon for good, cut
 * a network…): the worker destroys it after the unit and goes on with a fresh one.
 */
export function markBroken(reason: string): void {
  unitContext().broken ??= reason;
}

/**
 * When the units run earlier on the same environment began and ended: what they did to the
 * servers (killed daemons on purpose, say) is their business, so log checks excuse those
 * windows, and still see what happened at boot, at launch and between units.
 */
export function earlierUnits(): UnitWindow[] {
  return unitContext().earlierUnits;
}

/**
 * State shared by a unit's spec files and its action, e.g. a note written before a reboot and
 * read after it. Module-level variables would be shared by every worker in the process.
 */
export function unitShared<T>(key: string, init: () => T): T {
  const shared = unitContext().shared;
  if (!shared.has(key)) shared.set(key, init());
  return shared.get(key) as T;
}
