import { InfrastructureError } from '../errors.js';
import type { RunningEnvironment } from '../environment/environment.js';

let current: RunningEnvironment | undefined;
let startedAt = new Date();

/** The environment a suite runs against; set by the runner before the suite's files load. */
export function environment(): RunningEnvironment {
  if (!current) throw new InfrastructureError('no environment: suites run through `shakedown run`, not on their own');
  return current;
}

/** When the current suite started: the point from which "no new errors" is judged. */
export function suiteStart(): Date {
  return startedAt;
}

export function setEnvironment(env: RunningEnvironment | undefined): void {
  current = env;
  startedAt = new Date();
}

export function markSuiteStart(): void {
  startedAt = new Date();
}

let actionStartedAt: Date | undefined;

/**
 * When the current unit's lifecycle action began, if it has one: suites re-run after an action
 * judge the logs from there, not from earlier suites that broke things on purpose.
 */
export function actionStart(): Date | undefined {
  return actionStartedAt;
}

export function markActionStart(at: Date | undefined): void {
  actionStartedAt = at;
}
