/** A unit still to be handed out, as the pool sees it. */
export interface Upcoming {
  topology: string;
  expectedMs?: number;
  fresh?: boolean;
  /** It breaks its environment: the unit after it needs another one. */
  breaks?: boolean;
}

/** A unit a worker is expected to run, and in how many ms it is expected to start. */
export interface Ahead<U> {
  unit: U;
  inMs: number;
}

/**
 * The units a worker is expected to run next, at most `count`, each with its expected start (ms
 * from `now`): units are handed out in order, each to the worker expected free first (`freeAt`, ms
 * on the clock of `now`; ties go to the lower index). The guess stops at a unit of unknown duration
 * (no one can say who is free after it).
 */
export function nextFor<W, U extends Upcoming>(self: W, freeAt: Map<W, number>, pending: U[], now: number, count = 1): Ahead<U>[] {
  const times = [...freeAt];
  const mine: Ahead<U>[] = [];
  if (!times.some(([w]) => w === self)) return mine;
  for (const unit of pending) {
    const first = times.reduce((best, t) => (t[1] < best[1] ? t : best));
    if (first[0] === self && mine.push({ unit, inMs: Math.max(0, first[1] - now) }) >= count) break;
    if (unit.expectedMs === undefined) break;
    first[1] += unit.expectedMs;
  }
  return mine;
}

/**
 * Whether a worker that will hold an environment of `holds` after its unit (undefined when the
 * unit breaks it) needs another environment for `next`: another topology, or an untouched one.
 */
export function needsAnother(holds: string | undefined, next: Upcoming): boolean {
  return holds !== next.topology || !!next.fresh;
}

/**
 * Of a worker's expected next units (`ahead`, after a unit that leaves it holding `holds`), the ones
 * whose environments must start launching now: each unit that needs another environment than the
 * one its worker will hold then is a launch to make; launches may run one after another, so the
 * k-th is ready the first k launch times after it starts. A launch starts now when waiting for the
 * worker's next decision (the start of its next unit) would land it, or one before it, late. An
 * unknown launch time counts as too long to wait for.
 */
export function needingSpares<U extends Upcoming>(holds: string | undefined, ahead: Ahead<U>[], launchMs: (topology: string) => number | undefined): U[] {
  const launches: Ahead<U>[] = [];
  let held = holds;
  for (const a of ahead) {
    if (needsAnother(held, a.unit)) launches.push(a);
    held = a.unit.breaks ? undefined : a.unit.topology;
  }
  const decideAgainInMs = ahead[0]?.inMs ?? 0;
  let readyAfterMs = 0;
  let upTo = 0;
  launches.forEach((a, k) => {
    readyAfterMs += launchMs(a.unit.topology) ?? Number.POSITIVE_INFINITY;
    if (a.inMs - readyAfterMs < decideAgainInMs) upTo = k + 1;
  });
  return launches.slice(0, upTo).map((a) => a.unit);
}
