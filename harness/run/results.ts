import type { Lineage } from '../images/lineage.js';
import type { Origin } from '../project/git.js';
import type { Timings } from '../environment/environment.js';
import type { FaultRecord } from '../suite/faults/fault.js';
import type { SuiteResult } from '../suite/runner.js';

/**
 * How one unit ended, after its retries:
 * - passed: first attempt passed;
 * - flaky: an attempt failed and a later one, on a fresh environment, passed; or, with
 *   `--repeat`, some repeats passed and some failed (which fails the run);
 * - failed: every attempt failed (with `--repeat`: no repeat passed);
 * - infra: no environment could be had for it (exit 3, not a test failure);
 * - interrupted: a signal stopped it, or stopped the run before it began.
 */
export type UnitOutcome = 'passed' | 'flaky' | 'failed' | 'infra' | 'interrupted';

/** The output gathered from one server when an attempt failed. */
export interface ServerEvidence {
  server: string;
  /** Paths relative to the results directory: journal.txt, syslog.txt, failed-units.txt. */
  files: string[];
  /** Set when the server could not be reached to gather anything. */
  error?: string;
}

export interface Evidence {
  /** Relative to the results directory, e.g. evidence/functional-backup-restore/attempt-1. */
  dir: string;
  /** failure.txt: every failed test with its error, which includes a failing command's output. */
  failure: string;
  servers: ServerEvidence[];
}

export interface Attempt {
  /** 1, 2, … (retries are later attempts). */
  attempt: number;
  /** With `--repeat`: which run of the unit (1, 2, …) this attempt belongs to. */
  repeat?: number;
  worker: number;
  env?: string;
  startedAt: string;
  durationMs: number;
  outcome: 'passed' | 'failed' | 'infra' | 'interrupted';
  phases: SuiteResult[];
  /** Why the environment was destroyed after this attempt: declared, marked at run time, or the health gate. */
  broke?: string;
  evidence?: Evidence;
  /** The faults the unit applied: what, where, when applied and reverted. */
  faults?: FaultRecord[];
  /** Infrastructure or interrupt message. */
  error?: string;
}

export interface UnitReport {
  /** e.g. "functional/backup-restore" (a spec file) or "reboot" (a lifecycle suite). */
  unit: string;
  suite: string;
  topology: string;
  outcome: UnitOutcome;
  /** From the duration history; undefined for a unit never run before. */
  expectedMs?: number;
  /** With `--repeat`: how many of its runs passed (outright, not on retry). */
  repeats?: Repeats;
  attempts: Attempt[];
}

/** A repeated unit's pass ratio: `passed` of `runs`. */
export interface Repeats {
  passed: number;
  runs: number;
}

/** One bar on a worker's timeline; times are ms since the run started. */
export interface TimelineEvent {
  worker: number;
  kind: 'launch' | 'unit' | 'gate' | 'destroy' | 'backoff' | 'evidence';
  label: string;
  env?: string;
  startMs: number;
  endMs: number;
  ok: boolean;
  note?: string;
  /** Off the worker's path: a spare's launch, or a destroy the worker did not wait for. */
  background?: boolean;
}

export interface EnvironmentReport {
  id: string;
  worker: number;
  topology: string;
  defects: string[];
  servers: { name: string; role: string; image: string }[];
  timings: Timings & { destroyMs?: number };
  /** Why it was replaced or kept, if it was. */
  fate?: string;
}

/** A failed unit's environment left running for debugging until `expires`. */
export interface KeptEnvironment {
  env: string;
  unit: string;
  expires: string;
  /** One `shakedown env ssh <env> <server>` per server. */
  commands: string[];
}

/** The topology name a unit launched from the base image runs under: `NAME@base`. */
export const fromBase = (topology: string) => `${topology}@base`;
export const launchedFromBase = (topology: string) => topology.endsWith('@base');
/**
 * The topology name an upgrade unit launched at another version or on other images runs under,
 * `NAME@VERSION`: environments are matched to units by topology name, and one at the upgrade's
 * source version must never be handed to a plain unit, nor a plain one to the upgrade.
 */
export const atVersion = (topology: string, version: string) => `${topology}@${version}`;

/** An image a run launched servers from, with its ancestry. */
export interface ImageUse extends Lineage {
  from: 'prebuilt' | 'base';
}

export interface RunReport {
  run: string;
  outcome: 'passed' | 'failed' | 'error' | 'interrupted';
  error?: string;
  workers: number;
  /** Wall time from the first launch to the last destroy. */
  makespanMs: number;
  /** max(longest unit, total unit time / workers): no schedule can beat it. */
  lowerBoundMs: number;
  /**
   * max over workers of (its first environment ready + the units it ran): this run's assignment
   * with one unavoidable launch per worker and nothing else in the way. makespan / this is what
   * launching (relaunches, gates, waits) cost; this / lowerBoundMs is what the first launch and
   * the spread of work cost.
   */
  launchBoundMs: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Units, not tests. */
  flaky: number;
  infra: number;
  topology: string;
  images: string[];
  environments: EnvironmentReport[];
  units: UnitReport[];
  timeline: TimelineEvent[];
  kept: KeptEnvironment[];
  totalMs: number;
  /** The phases of every unit's last attempt, in unit order: what the tests said. */
  suites: SuiteResult[];
  resultsDir?: string;
  /** The configuration code the run qualified: a ref and commit, or the working tree. */
  origin?: Origin;
  /** prebuilt, base or both. */
  from?: string;
  /** Each image the run used: its commit, its base and the rest of its lineage. */
  lineage?: ImageUse[];
}
