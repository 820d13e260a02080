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
