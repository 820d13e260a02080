/** A unit still to be handed out, as the pool sees it. */
export interface Upcoming {
  topology: string;
  expectedMs?: number;
  fresh?: boolean;
  /** It breaks its environment: the unit after it needs another one. */
  breaks?: boolean;
}

/**
 * The units a worker is expected to run next, at most `count`: units are handed out in order, each
 * to the worker expected free first (`freeAt`, ms on one clock; ties go to the lower index). The
 * guess stops at a unit of unknown duration (no one can say who is free after it).
 */
export function nextFor<W, U extends Upcoming>(self: W, freeAt: Map<W, number>, pending: U[], count = 1): U[] {
  const times = [...freeAt];
  const mine: U[] = [];
  if (!times.some(([w]) => w === self)) return mine;
  for (const unit of pending) {
    const first = times.reduce((best, t) => (t[1] < best[1] ? t : best));
    if (first[0] === self && mine.push(unit) >= count) break;
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
 * Of a worker's expected next units, the ones that need a spare launched now: the first when the
 * environment it will hold does not fit it, and the second when the first breaks its own (a short
 * breaking unit would not hide the launch of its successor's environment on its own).
 */
export function needingSpares<U extends Upcoming>(holds: string | undefined, next: U[]): U[] {
  const [first, second] = next;
  if (!first) return [];
  const out = needsAnother(holds, first) ? [first] : [];
  if (first.breaks && second) out.push(second);
  return out;
}
