import { median } from './history.js';
import type { Attempt, Repeats, UnitReport } from './results.js';
import type { PlannedUnit } from './unit-run.js';

/**
 * Each planned unit `n` times over, repeat by repeat: `--repeat` runs a unit as `n` separate
 * executions, handed out like any unit (so they spread over the workers), each with its own retries.
 */
export function expandRepeats<T extends PlannedUnit>(planned: T[], n: number): T[] {
  if (n <= 1) return planned;
  return Array.from({ length: n }, (_, i) => planned.map((p) => ({ ...p, repeat: { index: i + 1, of: n } }))).flat();
}

/** Where a planned unit's report is kept until the run ends: one per repeat. */
export const reportKey = (p: PlannedUnit) => (p.repeat ? `${p.key}#${p.repeat.index}` : p.key);

/** A repeat counts as a pass only if it passed outright: one that passed only on retry did fail once. */
const passedOutright = (u: UnitReport) => u.outcome === 'passed';
const failedOnce = (u: UnitReport) => u.outcome === 'failed' || u.outcome === 'flaky';

/**
 * How a repeated unit ended over its repeats: passed if every repeat passed; flaky if some
 * passed and some failed (a race won in some runs only is not a pass); failed if none passed;
 * interrupted or infra when a repeat could not run to an end and none failed.
 */
export function repeatedOutcome(runs: UnitReport[]): UnitReport['outcome'] {
  const passed = runs.filter(passedOutright).length;
  if (runs.some(failedOnce)) return passed ? 'flaky' : 'failed';
  if (runs.some((u) => u.outcome === 'interrupted')) return 'interrupted';
  if (runs.some((u) => u.outcome === 'infra')) return 'infra';
  return 'passed';
}

/** One report per unit: its repeats' attempts in repeat order, its outcome over them and the pass ratio. */
export function mergeRepeats(runs: UnitReport[]): UnitReport {
  const first = runs[0]!;
  const repeats: Repeats = { passed: runs.filter(passedOutright).length, runs: runs.length };
  return { ...first, outcome: repeatedOutcome(runs), repeats, attempts: runs.flatMap((u) => u.attempts) };
}

/** Units in plan order (first repeats), each with its repeats merged. */
export function byUnit(planned: PlannedUnit[], report: (p: PlannedUnit) => UnitReport): UnitReport[] {
  const groups = new Map<string, UnitReport[]>();
  for (const p of planned) groups.set(p.key, [...(groups.get(p.key) ?? []), report(p)]);
  return [...groups.values()].map((runs) => (runs.length > 1 || runs[0]!.repeats ? mergeRepeats(runs) : runs[0]!));
}

/**
 * The duration the history learns from a unit: its last attempt's, or for a repeated unit the
 * lower median of its repeats' (one sample per run, so a `--repeat 10` run does not fill the
 * history's window of recent runs on its own).
 */
export function learntMs(u: UnitReport): number {
  const ran = finalAttempts(u).filter((a) => a.outcome === 'passed' || a.outcome === 'failed');
  return median(ran.map((a) => a.durationMs)) ?? u.attempts.at(-1)!.durationMs;
}

/** "passed 2/3" for a repeated unit, '' otherwise. */
export const ratioText = (u: UnitReport) => (u.repeats ? `passed ${u.repeats.passed}/${u.repeats.runs}` : '');

/** The attempt each run of a unit ended with: its last, or with `--repeat` each repeat's last. */
export function finalAttempts(u: UnitReport): Attempt[] {
  if (!u.repeats) return u.attempts.slice(-1);
  const last = new Map<number, Attempt>();
  for (const a of u.attempts) last.set(a.repeat ?? 1, a);
  return [...last.values()];
}

/** A unit the run fails for: failed, or with `--repeat` passed in some runs only. */
export const failsRun = (u: UnitReport) => u.outcome === 'failed' || (u.outcome === 'flaky' && !!u.repeats);
