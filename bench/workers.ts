import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../harness/paths.js';
import type { RunReport } from '../harness/run/results.js';
import { emit } from './stats.js';

/** Runs `shakedown run` with its own history file and results dir; returns the JSON report. */
function run(args: string[], stateDir: string): { report: RunReport; exitCode: number | null } {
  const results = mkdtempSync(path.join(os.tmpdir(), 'shakedown-bench-'));
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'shakedown.js'), '--quiet', 'run', '--results', results, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SHAKEDOWN_STATE_DIR: stateDir },
  });
  const file = path.join(results, 'report.json');
  // A run that ended before its report (it could not start, say) is said, and the bench goes on without it.
  if (!existsSync(file)) throw new Error(`shakedown run exited ${r.status} with no report (its error is above)`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
  // A run that did not pass keeps its results, so the figure can be explained.
  if (r.status === 0) rmSync(results, { recursive: true, force: true });
  else process.stderr.write(`bench: run exited ${r.status}; results kept in ${results}\n`);
  return { report, exitCode: r.status };
}

const ratio = (ms: number, bound: number) => (bound > 0 ? Number((ms / bound).toFixed(3)) : undefined);

/**
 * For each unit that broke its environment: from its end to the next unit's start on its worker,
 * whether that unit ran on a spare (an environment launched in the background, whenever it started),
 * and by how much that spare's launch ended after the breaking unit did (0 when it was there first):
 * a gap that is the spare still launching, not the worker waiting on anything else.
 */
export function breakingGaps(r: RunReport): { unit: string; gapMs: number; spare: boolean; spareLateMs?: number }[] {
  return r.units.flatMap((u) => {
    const a = u.attempts.at(-1)!;
    const bar = r.timeline.find((e) => e.kind === 'unit' && e.env === a.env && e.worker === a.worker && e.label.startsWith(u.unit));
    if (!a.broke || !bar) return [];
    const next = r.timeline.filter((e) => e.kind === 'unit' && e.worker === a.worker && e.startMs >= bar.endMs).sort((x, y) => x.startMs - y.startMs)[0];
    if (!next) return [];
    const spare = r.timeline.find((e) => e.kind === 'launch' && e.background && e.ok && e.env === next.env);
    const gap = { unit: u.unit, gapMs: next.startMs - bar.endMs };
    return [spare ? { ...gap, spare: true, spareLateMs: Math.max(0, spare.endMs - bar.endMs) } : { ...gap, spare: false }];
  });
}

const describeGap = (g: ReturnType<typeof breakingGaps>[number]) =>
  `${g.unit}: ${g.gapMs}${g.spare ? (g.spareLateMs ? ` (spare, landed ${g.spareLateMs} ms after the unit ended)` : ' (spare)') : ''}`;

/**
 * `run --suite all` on each worker count, `runs` times, longest-first from a history learnt by a
 * first run: makespan against the lower bound max(longest unit, total work / workers) and against
 * the bound with one launch per worker, and the gap from each breaking unit's end to the next
 * unit's start on its worker.
 */
export function benchWorkers(counts: number[], runs = 1): void {
  const state = mkdtempSync(path.join(os.tmpdir(), 'shakedown-bench-state-'));
  run(['--suite', 'all', '--workers', String(Math.max(...counts))], state);
  for (const n of counts) {
    for (let i = 1; i <= runs; i++) {
      let measured: ReturnType<typeof run>;
      try {
        measured = run(['--suite', 'all', '--workers', String(n)], state);
      } catch (error) {
        emit(`run --suite all, ${n} worker(s), longest-first: makespan (run ${i}/${runs})`, 'ms', { error: (error as Error).message });
        continue;
      }
      const { report, exitCode } = measured;
      const gaps = breakingGaps(report);
      emit(`run --suite all, ${n} worker(s), longest-first: makespan (run ${i}/${runs})`, 'ms', {
        value: report.makespanMs,
        lowerBoundMs: report.lowerBoundMs,
        ratio: ratio(report.makespanMs, report.lowerBoundMs),
        launchBoundMs: report.launchBoundMs,
        launchRatio: ratio(report.makespanMs, report.launchBoundMs),
        breakingGapsMs: gaps.map(describeGap),
        maxGapWithSpareMs: Math.max(0, ...gaps.filter((g) => g.spare).map((g) => g.gapMs)),
        units: report.units.length,
        exitCode,
        outcome: report.outcome,
      }, { target: n > 1 ? 'ratio <= 1.10; gap with spare < 500' : 'ratio <= 1.12; gap with spare < 500' });
    }
  }
  rmSync(state, { recursive: true, force: true });
}

/**
 * Longest-first against first-come order on a deliberately skewed set: the fixture suite `skew`
 * has one long unit and many short ones, listed so that first-come order starts the long one last.
 */
export function benchSkew(workers: number): void {
  const state = mkdtempSync(path.join(os.tmpdir(), 'shakedown-bench-state-'));
  const args = ['--suites-dir', 'test/fixtures/suites', '--suite', 'skew', '--topology', 'test/fixtures/small.yml', '--workers', String(workers)];
  const fifo = run([...args, '--order', 'given'], state).report; // also teaches the history every unit's duration
  const longest = run([...args, '--order', 'longest'], state).report;
  emit(`skewed units on ${workers} workers: first-come order makespan`, 'ms', { value: fifo.makespanMs, lowerBoundMs: fifo.lowerBoundMs, ratio: ratio(fifo.makespanMs, fifo.lowerBoundMs) });
  emit(`skewed units on ${workers} workers: longest-first makespan`, 'ms', { value: longest.makespanMs, lowerBoundMs: longest.lowerBoundMs, ratio: ratio(longest.makespanMs, longest.lowerBoundMs) });
  emit('longest-first gain over first-come order (first-come makespan / longest-first makespan)', 'x', { value: Number((fifo.makespanMs / longest.makespanMs).toFixed(3)) });
  rmSync(state, { recursive: true, force: true });
}

/**
 * From a unit breaking its environment to the worker's replacement being ready: the health gate
 * finds sshd killed, the environment is destroyed, a fresh one launched.
 */
export function benchReplacement(): void {
  const state = mkdtempSync(path.join(os.tmpdir(), 'shakedown-bench-state-'));
  const { report } = run(['--suites-dir', 'test/fixtures/suites', '--suite', 'kill-sshd,healthy', '--topology', 'test/fixtures/gate.yml', '--order', 'given'], state);
  const gaps: number[] = [];
  for (const gate of report.timeline.filter((e) => e.kind === 'gate' && !e.ok)) {
    const next = report.timeline.find((e) => e.worker === gate.worker && e.kind === 'launch' && e.ok && e.startMs >= gate.endMs);
    if (next) gaps.push(next.endMs - gate.startMs);
  }
  emit('broken environment to replacement ready (health gate start to fresh environment ready)', 'ms', { n: gaps.length, value: gaps[0], outcome: report.outcome });
  rmSync(state, { recursive: true, force: true });
}
