/**
 * What suites import: `import { environment, expectService } from 'shakedown'`.
 * A suite runs inside `shakedown run`, which gives it its unit's environment.
 */
export { environment, suiteStart, actionStart, earlierUnits, markBroken, unitShared } from './suite/context.js';
export * from './suite/checks/index.js';
export { faults, revertFaults, withFault, type Fault, type FaultRecord } from './suite/faults/index.js';
export type { Action, Record } from './suite/actions.js';
export type { RunningEnvironment, EnvironmentRecord } from './environment/environment.js';
export type { Server, CommandResult, FileInfo } from './environment/server.js';
export { converge, type ConvergeOptions, type ConvergeResult } from './environment/converge.js';
export { upgradeTarget } from './environment/upgrade-target.js';
export { project, defects, defectsFor, type Project, type Version, type Defect } from './project/index.js';
export type { Topology } from './topology/schema.js';
export { info, type LogContext } from './log.js';
export { describe, it, before, after, beforeEach, afterEach } from 'mocha';
