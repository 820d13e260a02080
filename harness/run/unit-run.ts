import Mocha from 'mocha';
import type { RunningEnvironment } from '../environment/environment.js';
import { exitCodeOf, EXIT } from '../errors.js';
import type { Unit } from '../suite/plan.js';
import { runUnit, type SuiteResult } from '../suite/runner.js';
import type { Topology } from '../topology/schema.js';
import type { Attempt, Evidence, KeptEnvironment, UnitReport } from './results.js';
import type { Worker } from './worker.js';
import type { ProgressSink, Timeline } from './timeline.js';

/** A unit with what scheduling needs. */
export interface PlannedUnit {
  unit: Unit;
  topology: Topology;
  key: string;
  expectedMs?: number;
  /** With `--repeat`: which of the unit's runs this is. */
  repeat?: { index: number; of: number };
}

export type CollectEvidence = (env: RunningEnvironment, o: { since: Date; unit: string; attempt: number; repeat?: number; phases: Attempt['phases'] }) => Promise<Evidence>;

export interface UnitRunSetup {
  retries: number;
  /** Keep a failed unit's environment this long instead of destroying it. */
  keepOnFailureMs?: number;
  timeline: Timeline;
  progress: ProgressSink;
  signal: AbortSignal;
  evidence?: CollectEvidence;
  onKept: (k: KeptEnvironment) => void;
  /** Called as a unit that breaks its environment starts, or once one is found broken: start its replacement. */
  replace?: (worker: Worker, p: PlannedUnit) => void;
  /** Called as any other unit starts on its environment: the worker may ready its next one. */
  started?: (worker: Worker, p: PlannedUnit) => void;
  /** How a unit runs on an environment; tests give a fake. */
  runUnit?: typeof runUnit;
}

/** Mocha output from several workers at once is noise: results come from the runner's events. */
class Silent extends Mocha.reporters.Base {}

const anyFailed = (phases: SuiteResult[]) => phases.some((p) => p.tests.some((t) => t.state === 'failed'));

/**
 * Runs a unit on a worker: on its environment, or a fresh one after a failure when retries are
 * left. After each attempt the environment is checked; one that is broken (declared by the
 * suite, marked at run time, or found by the health gate) is destroyed, so the next unit on
 * this worker starts on a fresh one, launched in the background as soon as the breakage is known.
 */
export async function runOnWorker(p: PlannedUnit, worker: Worker, s: UnitRunSetup): Promise<UnitReport> {
  const report: UnitReport = { unit: p.unit.name, suite: p.unit.suite, topology: p.topology.name, outcome: 'passed', expectedMs: p.expectedMs, attempts: [] };
  for (let n = 1; n <= 1 + s.retries; n++) {
    const attempt = await runAttempt(p, worker, n, s);
    report.attempts.push(attempt);
    if (attempt.outcome !== 'failed' || s.signal.aborted) break;
  }
  report.outcome = outcomeOf(report.attempts);
  const ms = report.attempts.reduce((t, a) => t + a.durationMs, 0);
  s.progress.unitDone(worker.id, p.repeat ? `${p.unit.name} (repeat ${p.repeat.index}/${p.repeat.of})` : p.unit.name, report.outcome, ms);
  return report;
}

export function outcomeOf(attempts: Attempt[]): UnitReport['outcome'] {
  const last = attempts.at(-1);
  if (!last) return 'interrupted';
  if (last.outcome === 'passed') return attempts.length > 1 ? 'flaky' : 'passed';
  return last.outcome;
}

async function runAttempt(p: PlannedUnit, worker: Worker, n: number, s: UnitRunSetup): Promise<Attempt> {
  const startedAt = new Date();
  const base = { attempt: n, ...(p.repeat && { repeat: p.repeat.index }), worker: worker.id, startedAt: startedAt.toISOString(), phases: [] };
  let env: RunningEnvironment;
  try {
    if (n > 1) worker.discard(`attempt ${n - 1} of ${p.unit.name} failed; retried on a fresh environment`);
    env = await worker.environmentFor(p.topology, p.unit.fresh);
    // Its environment will not outlive it: the next one launches while it runs.
    if (p.unit.breaks) s.replace?.(worker, p);
    else s.started?.(worker, p);
  } catch (error) {
    const outcome = exitCodeOf(error) === EXIT.interrupted || s.signal.aborted ? 'interrupted' : 'infra';
    return { ...base, durationMs: Date.now() - startedAt.getTime(), outcome, error: (error as Error).message };
  }
  const unitStart = new Date();
  s.progress.set(worker.id, 'running', `${p.unit.name}${p.repeat ? ` (repeat ${p.repeat.index}/${p.repeat.of})` : ''}${n > 1 ? ` (attempt ${n})` : ''}`);
  const run = await s.timeline.span(
    { worker: worker.id, kind: 'unit', label: `${p.unit.name}${p.repeat ? ` r${p.repeat.index}` : ''}${n > 1 ? ` #${n}` : ''}`, env: env.id },
    () => (s.runUnit ?? runUnit)(p.unit, env, { reporter: Silent, signal: s.signal }),
    (r) => ({ ok: !anyFailed(r.results) }),
  );
  const attempt: Attempt = { ...base, env: env.id, startedAt: unitStart.toISOString(), durationMs: Date.now() - unitStart.getTime(), outcome: 'passed', phases: run.results };
  if (run.faults?.length) attempt.faults = run.faults;
  if (s.signal.aborted) return { ...attempt, outcome: 'interrupted', error: 'interrupted' };
  if (anyFailed(run.results)) {
    attempt.outcome = 'failed';
    if (s.evidence) {
      s.progress.set(worker.id, 'evidence', p.unit.name);
      const collect = s.evidence;
      attempt.evidence = await s.timeline
        .span({ worker: worker.id, kind: 'evidence', label: `evidence ${p.unit.name}`, env: env.id }, () => collect(env, { since: unitStart, unit: p.unit.name, attempt: n, repeat: p.repeat?.index, phases: run.results }))
        .catch(() => undefined);
    }
  }
  attempt.broke = p.unit.breaks ? `declared: ${p.unit.breaks}` : run.broken ? `marked at run time: ${run.broken}` : await gate(worker, env, s);
  const retrying = attempt.outcome === 'failed' && n <= s.retries;
  if (attempt.outcome === 'failed' && !retrying && s.keepOnFailureMs !== undefined) {
    const kept = worker.keep(p.unit.name, s.keepOnFailureMs);
    if (kept) s.onKept(kept);
  } else if (attempt.broke) {
    worker.discard(`${p.unit.name} broke it: ${attempt.broke}`);
  }
  if (attempt.broke) s.replace?.(worker, p);
  return attempt;
}

/** The health gate after a unit: a reason to discard the environment, or undefined if it is fit. */
async function gate(worker: Worker, env: RunningEnvironment, s: UnitRunSetup): Promise<string | undefined> {
  const g = worker.gateOf();
  if (!g) return undefined;
  s.progress.set(worker.id, 'gate', env.id);
  const verdict = await s.timeline
    .span({ worker: worker.id, kind: 'gate', label: 'health gate', env: env.id }, () => g.check(env, worker.baseline), (v) => ({ ok: v.healthy }))
    .catch((e: Error) => ({ healthy: false, reasons: [`the health gate itself failed: ${e.message}`], ms: 0 }));
  return verdict.healthy ? undefined : `health gate: ${verdict.reasons.join('; ')}`;
}
