/** A unit still to be handed out, as the pool sees it. */
export interface Upcoming {
  topology: string;
  expectedMs?: number;
  fresh?: boolean;
}

/**
 * The unit a worker is expected to run next: units are handed out in order, each to the worker
 * expected free first (`freeAt`, ms on one clock; ties go to the lower index). Undefined when the
 * worker gets none, or when a unit's duration is unknown before that (no guess is made then).
 */
export function nextFor<W, U extends Upcoming>(self: W, freeAt: Map<W, number>, pending: U[]): U | undefined {
  const times = [...freeAt];
  if (!times.some(([w]) => w === self)) return undefined;
  for (const unit of pending) {
    const first = times.reduce((best, t) => (t[1] < best[1] ? t : best));
    if (first[0] === self) return unit;
    if (unit.expectedMs === undefined) return undefined;
    first[1] += unit.expectedMs;
  }
  return undefined;
}

/**
 * Whether a worker that will hold an environment of `holds` after its unit (undefined when the
 * unit breaks it) needs another environment for `next`: another topology, or an untouched one.
 */
export function needsAnother(holds: string | undefined, next: Upcoming): boolean {
  return holds !== next.topology || !!next.fresh;
}
