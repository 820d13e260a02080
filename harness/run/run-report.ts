import { EXIT } from '../errors.js';
import { closingLine, countResults } from '../report/summary.js';
import type { KeptEnvironment, RunReport, UnitReport } from './results.js';
import { failsRun, finalAttempts, ratioText } from './repeats.js';
import { launchBoundMs, lowerBoundMs, workerLoads } from './schedule.js';
import type { Timeline } from './timeline.js';
import type { PlannedUnit } from './unit-run.js';
import type { Worker } from './worker.js';

/** What a run knows once it is over, to report. */
export interface RunFacts {
  run: string;
  workers: Worker[];
  topologies: string[];
  units: UnitReport[];
  timeline: Timeline;
  kept: KeptEnvironment[];
  makespanMs: number;
  totalMs: number;
  interrupted: boolean;
}

/** A unit that never ran on an environment: no worker could get one, or the run stopped first. */
export function unstarted(p: PlannedUnit, outcome: 'infra' | 'interrupted', error: string): UnitReport {
  const attempt = { attempt: 1, ...(p.repeat && { repeat: p.repeat.index }), worker: 0, startedAt: new Date().toISOString(), durationMs: 0, outcome, phases: [], error };
  return { unit: p.unit.name, suite: p.unit.suite, topology: p.topology.name, outcome, expectedMs: p.expectedMs, attempts: [attempt] };
}

export function exitOf(r: RunReport): number {
  if (r.outcome === 'interrupted') return EXIT.interrupted;
  if (r.infra) return EXIT.infrastructure;
  return r.failed || r.outcome === 'failed' ? EXIT.failed : EXIT.passed;
}

export function assemble(f: RunFacts): RunReport {
  const suites = f.units.flatMap((u) => finalAttempts(u).flatMap((a) => a.phases));
  const counts = countResults(suites);
  const infra = f.units.filter((u) => u.outcome === 'infra');
  const failed = counts.failed || f.units.some(failsRun);
  const worked = f.units.flatMap((u) => u.attempts.filter((a) => a.outcome === 'passed' || a.outcome === 'failed'));
  const environments = f.workers.flatMap((w) => w.environments);
  const timeline = [...f.timeline.events].sort((a, b) => a.worker - b.worker || a.startMs - b.startMs);
  return {
    run: f.run,
    outcome: f.interrupted ? 'interrupted' : infra.length ? 'error' : failed ? 'failed' : 'passed',
    error: f.interrupted ? 'interrupted' : infra[0]?.attempts.at(-1)?.error,
    workers: f.workers.length,
    makespanMs: f.makespanMs,
    lowerBoundMs: lowerBoundMs(worked.map((a) => a.durationMs), f.workers.length),
    launchBoundMs: launchBoundMs(workerLoads(timeline, worked)),
    ...counts,
    flaky: f.units.filter((u) => u.outcome === 'flaky').length,
    infra: infra.length,
    topology: f.topologies.join(','),
    images: [...new Set(environments.flatMap((e) => e.servers.map((s) => s.image)))].sort(),
    environments,
    units: f.units,
    timeline,
    kept: f.kept,
    totalMs: f.totalMs,
    suites,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ratio = (ms: number, bound: number) => (bound > 0 ? ` (${(ms / bound).toFixed(2)}×)` : '');

/** Makespan against both bounds: how much of it is scheduling, and how much launching. */
export function boundsLine(r: RunReport): string {
  const workers = `${r.workers} worker${r.workers > 1 ? 's' : ''}`;
  return `makespan ${seconds(r.makespanMs)}, lower bound ${seconds(r.lowerBoundMs)}${ratio(r.makespanMs, r.lowerBoundMs)}, with one launch ${seconds(r.launchBoundMs)}${ratio(r.makespanMs, r.launchBoundMs)} (${workers})`;
}

export function outcomeLine(r: RunReport): string {
  return closingLine(r) + (r.flaky ? `, ${r.flaky} flaky` : '') + (r.infra ? `, ${r.infra} infrastructure errors` : '') + repeatsText(r);
}

/** With `--repeat`, each unit's outcome and pass ratio: "; repeats: reboot flaky (passed 2/3), build passed (passed 3/3)". */
function repeatsText(r: RunReport): string {
  const repeated = r.units.filter((u) => u.repeats);
  return repeated.length ? `; repeats: ${repeated.map((u) => `${u.unit} ${u.outcome} (${ratioText(u)})`).join(', ')}` : '';
}
