import PQueue from 'p-queue';
import { onInterrupt } from '../cli/interrupt.js';
import { InterruptedError } from '../errors.js';
import { info } from '../log.js';
import type { Provider } from '../provider/provider.js';
import { expectedMs, historyKey, loadHistory, recordDurations, recordLaunches, saveHistory, type History } from './history.js';
import { LaunchTimes } from './launch-times.js';
import { GATE_ALLOWANCE_MS, Pool } from './pool.js';
import type { KeptEnvironment, RunReport, UnitReport } from './results.js';
import { assemble, boundsLine, exitOf, outcomeLine, unstarted } from './run-report.js';
import { byUnit, expandRepeats, learntMs, reportKey } from './repeats.js';
import { orderUnits, type Order } from './schedule.js';
import { spareTopology } from './spare.js';
import { needingSpares, nextFor } from './lookahead.js';
import { Timeline, type ProgressSink } from './timeline.js';
import { runOnWorker, type CollectEvidence, type PlannedUnit, type UnitRunSetup } from './unit-run.js';
import { Worker, type Gate, type WorkerSetup } from './worker.js';
import type { Unit } from '../suite/plan.js';
import type { Topology } from '../topology/schema.js';

/** How many of its expected next units a worker looks at when deciding which spares to launch. */
const LOOKAHEAD_UNITS = 6;

export interface QualifyOptions {
  units: { unit: Unit; topology: Topology }[];
  provider: Provider;
  run: string;
  ttlMs: number;
  workers: number;
  retries: number;
  /** Each unit runs this many times (default 1); one that fails in any run fails. */
  repeat?: number;
  order: Order;
  keepOnFailureMs?: number;
  /** At most this many environments launch at once. */
  launchConcurrency: number;
  /** No spare is launched while this many environments exist (the host's room); default: no bound. */
  maxEnvironments?: number;
  launchTries: number;
  backoffMs: number;
  gate?: Gate;
  evidence?: CollectEvidence;
  progress: ProgressSink;
  /** Tests only: a fake launch. */
  launch?: WorkerSetup['launch'];
  /** Tests only: a fake unit run. */
  runUnit?: UnitRunSetup['runUnit'];
}

/**
 * Spreads units over workers, each with its own environment, slowest first, each to the worker
 * that can start it soonest; replaces broken environments in the background; destroys everything
 * at the end (or on a signal) and says how it went.
 */
export async function qualify(o: QualifyOptions): Promise<{ report: RunReport; exitCode: number }> {
  const started = Date.now();
  const timeline = new Timeline();
  const history = loadHistory();
  const ordered = plan(o, history);
  const abort = new AbortController();
  const launched = new Set<string>();
  const launchTimes = new LaunchTimes(history);
  // One launch queue for all workers, spares included: the bound is per run.
  const launches = new PQueue({ concurrency: o.launchConcurrency });
  const workers: Worker[] = [];
  workers.push(...Array.from({ length: o.workers }, (_, i) =>
    new Worker(i + 1, { ...o, launches, timeline, signal: abort.signal, launched, launchTimes, workers, maxEnvironments: o.maxEnvironments ?? Number.POSITIVE_INFINITY }),
  ));
  const pool = new Pool(workers, { allowanceMs: o.gate ? GATE_ALLOWANCE_MS : 0 });
  const unregister = onInterrupt(async () => {
    abort.abort();
    pool.close(new InterruptedError('the run was interrupted before this unit started'));
    await Promise.allSettled([...launched].map((id) => o.provider.destroy(id)));
  });
  const waiting = () => pool.pending().map((r) => ordered[r.rank]!);
  /** Spares no unit still to come can use go at once, and so does every environment once nothing is left to hand out. */
  const tidy = (granted?: Worker) => {
    const wanted = new Set(pool.pending().map((r) => r.topology));
    for (const w of workers) if (w !== granted) w.dropSpareUnless(wanted);
    if (!wanted.size) for (const w of pool.idle()) w.discard('no units left for it');
  };
  const kept: KeptEnvironment[] = [];
  const reports = new Map<string, UnitReport>();
  const setup: UnitRunSetup = {
    ...o,
    timeline,
    signal: abort.signal,
    onKept: (k) => kept.push(k),
    // The replacement of a broken environment has the topology of the worker's expected next unit when that is known.
    replace: (worker, p) => {
      const wanted = sparesAfter(worker, undefined);
      const guess = wanted.length ? undefined : spareTopology(p.topology.name, waiting());
      worker.prepareSpares(guess ? [guess] : wanted);
      reconsider(worker);
    },
    started: (worker, p) => {
      worker.prepareSpares(sparesAfter(worker, p.topology.name));
      reconsider(worker);
    },
  };
  /**
   * Every unit handed out changes who is expected to run the units after it: the other busy workers
   * look ahead again (a spare one of them readies serves whichever worker takes its unit).
   */
  const reconsider = (except: Worker) => {
    for (const w of workers) {
      const running = w === except ? undefined : pool.runningOn(w);
      if (running) w.prepareSpares(sparesAfter(w, running.breaks ? undefined : running.topology));
    }
  };
  /**
   * The environments this worker's expected next units need that it will not hold then (`holds`: the
   * topology its current unit leaves it, undefined when that unit breaks its environment) and that
   * must start launching now to be ready when their units start (`needingSpares`). They launch in
   * the background, off the worker's path.
   */
  const sparesAfter = (worker: Worker, holds: string | undefined) =>
    needingSpares(holds, nextFor(worker, pool.expectedFree(), pool.pending(), pool.now(), LOOKAHEAD_UNITS), (t) => launchTimes.expectedMs(t)).map((u) => ordered[u.rank]!.topology);
  const runPlanned = async (p: PlannedUnit, rank: number) => {
    const worker = await pool.acquire({ topology: p.topology.name, rank, expectedMs: p.expectedMs, breaks: !!p.unit.breaks, fresh: p.unit.fresh }).catch((e: Error) => e);
    // A unit handed to a worker that holds no environment for it may take another worker's spare.
    if (worker instanceof Worker) worker.claimSpare(p.topology.name, !!p.unit.fresh);
    tidy(worker instanceof Worker ? worker : undefined);
    if (worker instanceof Error) return void (abort.signal.aborted || reports.set(reportKey(p), unstarted(p, 'infra', worker.message)));
    try {
      // A unit that throws (an action module that does not load, say) is that unit's error: its environment
      // is in an unknown state, so it goes, and the run goes on.
      const report = await runOnWorker(p, worker, setup).catch((e: Error) => {
        worker.discard(`unit ${p.unit.name} ended with an error: ${e.message}`);
        return unstarted(p, 'infra', `${p.unit.name}: ${e.message}`);
      });
      reports.set(reportKey(p), report);
      // Nothing left to hand out: free the machine for the units still running elsewhere.
      if (!pool.pending().length) worker.discard('no units left for it');
    } finally {
      o.progress.set(worker.id, 'idle');
      pool.release(worker);
    }
  };
  await Promise.all(ordered.map(runPlanned));
  await Promise.all(workers.map((w) => w.close('the run is over').then(() => o.progress.set(w.id, 'done'))));
  unregister();
  o.progress.stop();
  const makespanMs = timeline.now();
  const units = byUnit(ordered, (p) => reports.get(reportKey(p)) ?? unstarted(p, 'interrupted', 'the run was interrupted before this unit started'));
  const report = assemble({ run: o.run, workers, topologies: [...new Set(o.units.map((u) => u.topology.name))], units, timeline, kept, makespanMs, totalMs: Date.now() - started, interrupted: abort.signal.aborted });
  if (!abort.signal.aborted) saveHistory(learn(history, units, launchTimes));
  info({ run: o.run }, boundsLine(report));
  info({ run: o.run }, outcomeLine(report));
  return { report, exitCode: exitOf(report) };
}

/** Every unit with its expected duration, in the order they are handed out. */
function plan(o: QualifyOptions, history: History): PlannedUnit[] {
  const planned = o.units.map(({ unit, topology }) => {
    const key = historyKey(topology.name, unit.name);
    return { unit, topology, key, expectedMs: expectedMs(history, key), name: unit.name };
  });
  return orderUnits(expandRepeats(planned, o.repeat ?? 1), o.order);
}

/** The history with this run's unit durations (of units that ran to an end) and launch times. */
function learn(history: History, units: UnitReport[], launchTimes: LaunchTimes): History {
  const worked = units.filter((u) => u.attempts.some((a) => a.outcome === 'passed' || a.outcome === 'failed'));
  const durations = worked.map((u) => ({ key: historyKey(u.topology, u.unit), ms: learntMs(u) }));
  return recordLaunches(recordDurations(history, durations), launchTimes.all());
}
