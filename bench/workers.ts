import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  const report = JSON.parse(readFileSync(path.join(results, 'report.json'), 'utf8')) as RunReport;
  // A run that did not pass keeps its results, so the figure can be explained.
  if (r.status === 0) rmSync(results, { recursive: true, force: true });
  else process.stderr.write(`bench: run exited ${r.status}; results kept in ${results}\n`);
  return { report, exitCode: r.status };
}

const ratio = (r: RunReport) => Number((r.makespanMs / r.lowerBoundMs).toFixed(3));

/**
 * Makespan of `run --suite all` on 1, 2 and 4 workers, longest-first from a history learnt by a
 * first run, against its lower bound max(longest unit, total work / workers).
 */
export function benchWorkers(counts: number[]): void {
  const state = mkdtempSync(path.join(os.tmpdir(), 'shakedown-bench-state-'));
  run(['--suite', 'all', '--workers', String(Math.max(...counts))], state);
  for (const n of counts) {
    const { report, exitCode } = run(['--suite', 'all', '--workers', String(n)], state);
    emit(`run --suite all, ${n} worker(s), longest-first: makespan`, 'ms', {
      value: report.makespanMs,
      lowerBoundMs: report.lowerBoundMs,
      ratio: ratio(report),
      units: report.units.length,
      exitCode,
      outcome: report.outcome,
    }, n > 1 ? { target: 'ratio <= 1.10' } : {});
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
  emit(`skewed units on ${workers} workers: first-come order makespan`, 'ms', { value: fifo.makespanMs, lowerBoundMs: fifo.lowerBoundMs, ratio: ratio(fifo) });
  emit(`skewed units on ${workers} workers: longest-first makespan`, 'ms', { value: longest.makespanMs, lowerBoundMs: longest.lowerBoundMs, ratio: ratio(longest) });
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
