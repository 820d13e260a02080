import { removeSshDirs } from '../environment/ssh-dir.js';
import { forgetKept, listKept, loadKept } from '../environment/state.js';
import { LABEL, janitorVerdict, processIsAlive, type Liveness } from '../provider/labels.js';
import type { Leftover, Provider } from '../provider/provider.js';

export interface SweepResult {
  removed: (Leftover & { reason: string })[];
  kept: (Leftover & { reason: string })[];
}

/** Removes every object whose run is over or whose expiry has passed; leaves live runs alone. */
export async function sweep(provider: Provider, opts: { now?: Date; alive?: Liveness; dryRun?: boolean; onRemoveFailure?: (e: Error) => void } = {}): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const all = await provider.leftovers();
  const kept = keptUntil();
  const judged = all.map((l) => {
    // A failed unit's environment kept by `run --keep-on-failure` outlives its run until its own expiry.
    const until = kept.get(l.labels[LABEL.env] ?? '');
    if (until && until > now.getTime()) return { ...l, remove: false, reason: `kept for debugging until ${new Date(until).toISOString()}` };
    return { ...l, ...janitorVerdict(l.labels, now, opts.alive ?? processIsAlive) };
  });
  const removed = judged.filter((j) => j.remove);
  if (!opts.dryRun) {
    await provider.remove(removed).catch((e: Error) => {
      if (!opts.onRemoveFailure) throw e;
      opts.onRemoveFailure(e);
    });
    const stillThere = new Set(judged.filter((j) => !j.remove).map((j) => j.labels[LABEL.env]));
    for (const id of listKept()) if (!stillThere.has(id)) forgetKept(id);
    // Its state file may live under another working directory; `env ssh`'s key folders are found by id alone.
    const gone = new Set(removed.map((r) => r.labels[LABEL.env] ?? '').filter((id) => id && !stillThere.has(id)));
    for (const id of gone) removeSshDirs(id);
  }
  const strip = ({ remove: _r, ...rest }: (typeof judged)[number]) => rest;
  return { removed: removed.map(strip), kept: judged.filter((j) => !j.remove).map(strip) };
}

/**
 * The sweep before a run or `env up` launches: what it cannot remove (a network the engine will not
 * give up, say) belongs to runs that are over, so the launch goes on, and the reason is said. A
 * provider it cannot even list stops the launch.
 */
export async function sweepBeforeLaunch(provider: Provider): Promise<void> {
  await sweep(provider, { onRemoveFailure: (e) => process.stderr.write(`shakedown: the janitor could not remove everything earlier runs left (${e.message.split('\n')[0]}); going on\n`) });
}

/** Kept environments' expiry, from their state files. */
function keptUntil(): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of listKept()) {
    try {
      out.set(id, Date.parse(loadKept(id).record.expires));
    } catch {
      // An unreadable state file keeps nothing alive.
    }
  }
  return out;
}
