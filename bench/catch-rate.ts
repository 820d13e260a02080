import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../harness/paths.js';
import type { RunReport, UnitReport } from '../harness/run/results.js';
import { emit } from './stats.js';

/** One `shakedown run` of the race's suite with its defect; its report and exit code. */
async function raceRun(suite: string, defect: string, extra: string[]): Promise<{ report: RunReport; exitCode: number | null }> {
  const results = mkdtempSync(path.join(os.tmpdir(), 'shakedown-bench-race-'));
  const args = ['--quiet', 'run', '--suite', suite, '--defect', defect, '--results', results, ...extra];
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'shakedown.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    return { report: JSON.parse(readFileSync(path.join(results, 'report.json'), 'utf8')) as RunReport, exitCode };
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
}

/** A run caught the defect when it failed (exit 1) for a test that failed, not for want of an environment. */
const caught = (r: { report: RunReport; exitCode: number | null }) => r.exitCode === 1 && r.report.units.some((u) => u.outcome === 'failed' || u.outcome === 'flaky');

/** Per run of the unit (each repeat), whether it failed: what a run without --repeat would have said. */
const executions = (u: UnitReport) => {
  const last = new Map<number, string>();
  for (const a of u.attempts) last.set(a.repeat ?? 1, a.outcome);
  return [...last.values()];
};

/**
 * How often the race defect's suite catches it: `runs` runs without --repeat, then `runs` runs
 * with --repeat `repeat`, each a separate `shakedown run`, `parallel` of them at a time. Set
 * BENCH_RACE_SUITE, BENCH_RACE_DEFECT, BENCH_RACE_ARGS (e.g. '--topology platform') to aim it elsewhere,
 * BENCH_RACE_ONLY=single or repeat for one half. With `--workers` at least `repeat`, each repeat of a
 * run is also a run without --repeat (a fresh environment of its own): `unitRuns` counts them.
 */
export async function benchCatchRate(runs: number, repeat: number, parallel: number): Promise<void> {
  // One unit, where the race shows: every server of the plain topology rebooted at once.
  const suite = process.env.BENCH_RACE_SUITE ?? 'reboot/all@platform';
  const defect = process.env.BENCH_RACE_DEFECT ?? 'boot-order-race';
  const extra = (process.env.BENCH_RACE_ARGS ?? '').split(' ').filter(Boolean);
  const only = process.env.BENCH_RACE_ONLY;
  for (const n of only === 'single' ? [1] : only === 'repeat' ? [repeat] : [1, repeat]) {
    const outcomes: boolean[] = [];
    const single: string[] = [];
    const started = Date.now();
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < runs; i = next++) {
        const r = await raceRun(suite, defect, [...extra, ...(n > 1 ? ['--repeat', String(n)] : [])]);
        outcomes.push(caught(r));
        single.push(...r.report.units.flatMap(executions));
        process.stderr.write(`bench: ${suite} with ${defect}${n > 1 ? ` --repeat ${n}` : ''}, run ${i + 1}/${runs}: exit ${r.exitCode}, ${r.report.units.map((u) => `${u.unit} ${u.outcome}${u.repeats ? ` (passed ${u.repeats.passed}/${u.repeats.runs})` : ''}`).join(', ')}\n`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, lane));
    const hits = outcomes.filter(Boolean).length;
    emit(`${suite} suite with defect ${defect}${n > 1 ? `, run --repeat ${n}` : ', one run (no --repeat)'}: catch rate`, 'runs', {
      value: Number((hits / runs).toFixed(2)),
      caught: hits,
      runs,
      unitRunsFailed: single.filter((o) => o === 'failed').length,
      unitRuns: single.length,
      parallelRuns: parallel,
      wallMs: Date.now() - started,
    });
  }
}
