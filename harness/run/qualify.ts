import PQueue from 'p-queue';
import { onInterrupt } from '../cli/interrupt.js';
import { EXIT } from '../errors.js';
import { info } from '../log.js';
import type { Provider } from '../provider/provider.js';
import { closingLine, countResults } from '../report/summary.js';
import { expectedMs, historyKey, loadHistory, recordDurations, saveHistory } from './history.js';
import { Pool } from './pool.js';
import type { KeptEnvironment, RunReport, UnitReport } from './results.js';
import { lowerBoundMs, orderUnits, type Order } from './schedule.js';
import { Timeline, type ProgressSink } from './timeline.js';
import { runOnWorker, type CollectEvidence, type PlannedUnit } from './unit-run.js';
import { Worker, type Gate } from './worker.js';
import type { Unit } from '../suite/plan.js';
import type { Topology } from '../topology/schema.js';

export interface QualifyOptions {
  units: { unit: Unit; topology: Topology }[];
  provider: Provider;
  run: string;
  ttlMs: number;
  workers: number;
  retries: number;
  order: Order;
  keepOnFailureMs?: number;
  /** At most this many environments launch at once. */
  launchConcurrency: number;
  launchTries: number;
  backoffMs: number;
  gate?: Gate;
  evidence?: CollectEvidence;
  progress: ProgressSink;
}

/**
 * Spreads units over workers, each with its own environment, slowest first; replaces broken
 * environments; destroys everything at the end (or on a signal) and says how it went.
 */
export async function qualify(o: QualifyOptions): Promise<{ report: RunReport; exitCode: number }> {
  const started = Date.now();
  const timeline = new Timeline();
  const history = loadHistory();
  const planned: PlannedUnit[] = o.units.map(({ unit, topology }) => {
    const key = historyKey(topology.name, unit.name);
    return { unit, topology, key, expectedMs: expectedMs(history, key) };
  });
  const ordered = orderUnits(planned.map((p) => ({ ...p, name: p.unit.name })), o.order);
  const abort = new AbortController();
  const launched = new Set<string>();
  const queue = new PQueue({ concurrency: o.workers });
  // One launch queue for all workers: the bound is per run.
  const launches = new PQueue({ concurrency: o.launchConcurrency });
  const workers = Array.from({ length: o.workers }, (_, i) =>
    new Worker(i + 1, {
      provider: o.provider,
      run: o.run,
      ttlMs: o.ttlMs,
      launches,
      launchTries: o.launchTries,
      backoffMs: o.backoffMs,
      timeline,
      progress: o.progress,
      gate: o.gate,
      signal: abort.signal,
      launched,
    }),
  );
  const unregister = onInterrupt(async () => {
    abort.abort();
    queue.clear();
    await Promise.allSettled([...launched].map((id) => o.provider.destroy(id)));
  });
  const pool = new Pool(workers);
  const kept: KeptEnvironment[] = [];
  const reports = new Map<string, UnitReport>();
  ordered.forEach((p, i) =>
    queue.add(
      async () => {
        const worker = await pool.acquire(p.topology.name).catch((e: Error) => e);
        if (worker instanceof Error) return void reports.set(p.key, unstarted(p, 'infra', worker.message));
        try {
          // A unit that throws (an action module that does not load, say) is that unit's error: its environment
          // is in an unknown state, so it goes, and the run goes on.
          const report = await runOnWorker(p, worker, { ...o, timeline, signal: abort.signal, onKept: (k) => kept.push(k) }).catch(async (e: Error) => {
            await worker.discard(`unit ${p.unit.name} ended with an error: ${e.message}`);
            return unstarted(p, 'infra', `${p.unit.name}: ${e.message}`);
          });
          reports.set(p.key, report);
          // Nothing left to hand out: free the machine for the units still running elsewhere.
          if (queue.size === 0) await worker.discard('no units left for it');
        } finally {
          o.progress.set(worker.id, 'idle');
          pool.release(worker);
        }
      },
      { priority: ordered.length - i },
    ),
  );
  await queue.onIdle();
  await Promise.all(workers.map((w) => w.discard('the run is over').then(() => o.progress.set(w.id, 'done'))));
  unregister();
  o.progress.stop();
  const makespanMs = timeline.now();
  const units = ordered.map((p) => reports.get(p.key) ?? unstarted(p, 'interrupted', 'the run was interrupted before this unit started'));
  const worked = units.filter((u) => u.attempts.some((a) => a.outcome === 'passed' || a.outcome === 'failed'));
  if (!abort.signal.aborted) saveHistory(recordDurations(history, worked.map((u) => ({ key: historyKey(u.topology, u.unit), ms: u.attempts.at(-1)!.durationMs }))));
  const report = assemble(o, units, workers, timeline, kept, makespanMs, Date.now() - started, abort.signal.aborted);
  info({ run: o.run }, `makespan ${(makespanMs / 1000).toFixed(1)} s, lower bound ${(report.lowerBoundMs / 1000).toFixed(1)} s (${o.workers} worker${o.workers > 1 ? 's' : ''})`);
  info({ run: o.run }, closingLine(report) + (report.flaky ? `, ${report.flaky} flaky` : '') + (report.infra ? `, ${report.infra} infrastructure errors` : ''));
  return { report, exitCode: exitOf(report) };
}

function unstarted(p: PlannedUnit, outcome: 'infra' | 'interrupted', error: string): UnitReport {
  const attempt = { attempt: 1, worker: 0, startedAt: new Date().toISOString(), durationMs: 0, outcome, phases: [], error };
  return { unit: p.unit.name, suite: p.unit.suite, topology: p.topology.name, outcome, expectedMs: p.expectedMs, attempts: [attempt] };
}

function exitOf(r: RunReport): number {
  if (r.outcome === 'interrupted') return EXIT.interrupted;
  if (r.infra) return EXIT.infrastructure;
  return r.failed ? EXIT.failed : EXIT.passed;
}

function assemble(o: QualifyOptions, units: UnitReport[], workers: Worker[], timeline: Timeline, kept: KeptEnvironment[], makespanMs: number, totalMs: number, interrupted: boolean): RunReport {
  const suites = units.flatMap((u) => u.attempts.at(-1)!.phases);
  const counts = countResults(suites);
  const infra = units.filter((u) => u.outcome === 'infra');
  const failed = counts.failed || units.some((u) => u.outcome === 'failed');
  const durations = units.flatMap((u) => u.attempts.filter((a) => a.outcome === 'passed' || a.outcome === 'failed').map((a) => a.durationMs));
  const environments = workers.flatMap((w) => w.environments);
  return {
    run: o.run,
    outcome: interrupted ? 'interrupted' : infra.length ? 'error' : failed ? 'failed' : 'passed',
    error: interrupted ? 'interrupted' : infra[0]?.attempts.at(-1)?.error,
    workers: o.workers,
    makespanMs,
    lowerBoundMs: lowerBoundMs(durations, o.workers),
    ...counts,
    flaky: units.filter((u) => u.outcome === 'flaky').length,
    infra: infra.length,
    topology: [...new Set(o.units.map((u) => u.topology.name))].join(','),
    images: [...new Set(environments.flatMap((e) => e.servers.map((s) => s.image)))].sort(),
    environments,
    units,
    timeline: [...timeline.events].sort((a, b) => a.worker - b.worker || a.startMs - b.startMs),
    kept,
    totalMs,
    suites,
  };
}
