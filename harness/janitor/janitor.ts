import { forgetKept, listKept } from '../environment/state.js';
import { LABEL, janitorVerdict, processIsAlive, type Liveness } from '../provider/labels.js';
import type { Leftover, Provider } from '../provider/provider.js';

export interface SweepResult {
  removed: (Leftover & { reason: string })[];
  kept: (Leftover & { reason: string })[];
}

/** Removes every object whose run is over or whose expiry has passed; leaves live runs alone. */
export async function sweep(provider: Provider, opts: { now?: Date; alive?: Liveness; dryRun?: boolean } = {}): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const all = await provider.leftovers();
  const judged = all.map((l) => ({ ...l, ...janitorVerdict(l.labels, now, opts.alive ?? processIsAlive) }));
  const removed = judged.filter((j) => j.remove);
  if (!opts.dryRun) {
    await provider.remove(removed);
    const stillThere = new Set(judged.filter((j) => !j.remove).map((j) => j.labels[LABEL.env]));
    for (const id of listKept()) if (!stillThere.has(id)) forgetKept(id);
  }
  const strip = ({ remove: _r, ...rest }: (typeof judged)[number]) => rest;
  return { removed: removed.map(strip), kept: judged.filter((j) => !j.remove).map(strip) };
}
