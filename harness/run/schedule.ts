/** How units are handed out: longest-first from history (unknown units first), or as given. */
export type Order = 'longest' | 'given';

export interface Schedulable {
  name: string;
  expectedMs?: number;
}

/**
 * Longest processing time first: unknown units lead (they may be the longest, and their
 * durations get learnt), then known ones by expected duration, longest first. Ties keep the
 * given order, so a run is reproducible.
 */
export function orderUnits<T extends Schedulable>(units: T[], order: Order): T[] {
  if (order === 'given') return [...units];
  const rank = (u: T) => (u.expectedMs === undefined ? Number.POSITIVE_INFINITY : u.expectedMs);
  return units.map((u, i) => ({ u, i })).sort((a, b) => rank(b.u) - rank(a.u) || a.i - b.i).map(({ u }) => u);
}

/** No schedule on `workers` workers finishes sooner than this: max(longest unit, total work / workers). */
export function lowerBoundMs(durations: number[], workers: number): number {
  if (!durations.length) return 0;
  const total = durations.reduce((a, b) => a + b, 0);
  return Math.round(Math.max(Math.max(...durations), total / workers));
}

/** The makespan of handing `durations` out in order to whichever of `workers` is free first. */
export function simulateMakespan(durations: number[], workers: number): number {
  const free = Array.from({ length: workers }, () => 0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i]! += d;
  }
  return Math.max(...free);
}

/** One worker's part of a run: when its first environment was ready, and how long its units ran. */
export interface WorkerLoad {
  readyMs: number;
  workMs: number;
}

/**
 * max over workers of (first environment ready + the units it ran): the run's assignment with one
 * unavoidable launch per worker and no other launch, gate or wait in the way.
 */
export function launchBoundMs(loads: WorkerLoad[]): number {
  return Math.round(Math.max(0, ...loads.map((l) => l.readyMs + l.workMs)));
}

/** Each worker's load from a run's timeline (its first launch that succeeded) and attempts (the units that ran). */
export function workerLoads(timeline: { worker: number; kind: string; ok: boolean; endMs: number; background?: boolean }[], attempts: { worker: number; durationMs: number }[]): WorkerLoad[] {
  const workers = [...new Set(attempts.map((a) => a.worker))];
  return workers.flatMap((w) => {
    const first = timeline.filter((e) => e.worker === w && e.kind === 'launch' && e.ok && !e.background).sort((a, b) => a.endMs - b.endMs)[0];
    const workMs = attempts.filter((a) => a.worker === w).reduce((t, a) => t + a.durationMs, 0);
    return first ? [{ readyMs: first.endMs, workMs }] : [];
  });
}
