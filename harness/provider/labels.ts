import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Every object a run creates carries these, so it can always be found and removed. */
export const LABEL = {
  run: 'shakedown.run',
  env: 'shakedown.env',
  worker: 'shakedown.worker',
  pid: 'shakedown.pid',
  pidStart: 'shakedown.pid-start',
  host: 'shakedown.host',
  expires: 'shakedown.expires',
  keep: 'shakedown.keep',
  server: 'shakedown.server',
  role: 'shakedown.role',
  topology: 'shakedown.topology',
} as const;

/** Marks a short-lived container that fills a server's volumes from its image (Docker): part of an environment, not a server. */
export const SEED_LABEL = 'shakedown.seed';

export interface Owner {
  run: string;
  env: string;
  worker: number;
  topology: string;
  /** Kept environments outlive the process that made them, until they expire. */
  keep: boolean;
  expires: Date;
}

/** When the process started, in clock ticks since boot: guards against a reused pid. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function ownerLabels(owner: Owner): Record<string, string> {
  return {
    [LABEL.run]: owner.run,
    [LABEL.env]: owner.env,
    [LABEL.worker]: String(owner.worker),
    [LABEL.topology]: owner.topology,
    [LABEL.pid]: String(process.pid),
    [LABEL.pidStart]: processStart(process.pid) ?? '',
    [LABEL.host]: os.hostname(),
    [LABEL.expires]: owner.expires.toISOString(),
    [LABEL.keep]: String(owner.keep),
  };
}

export type Liveness = (pid: number, start: string) => boolean;

/** True while the process that made an object still runs (same pid, same start time). */
export const processIsAlive: Liveness = (pid, start) => processStart(pid) === start && start !== '';

export interface Verdict {
  remove: boolean;
  reason: string;
}

/** Whether the janitor may remove an object with these labels: its run is over or it has expired. */
export function janitorVerdict(labels: Record<string, string>, now: Date, alive: Liveness = processIsAlive): Verdict {
  const expires = Date.parse(labels[LABEL.expires] ?? '');
  if (Number.isNaN(expires)) return { remove: true, reason: 'no valid expiry label' };
  if (expires <= now.getTime()) return { remove: true, reason: `expired at ${labels[LABEL.expires]}` };
  if (labels[LABEL.keep] === 'true') return { remove: false, reason: `kept until ${labels[LABEL.expires]}` };
  if (labels[LABEL.host] !== os.hostname()) return { remove: false, reason: `made on host ${labels[LABEL.host]}; waits for expiry` };
  const pid = Number(labels[LABEL.pid]);
  if (!Number.isInteger(pid) || pid <= 0) return { remove: true, reason: 'no valid pid label' };
  if (alive(pid, labels[LABEL.pidStart] ?? '')) return { remove: false, reason: `run ${labels[LABEL.run]} is live (pid ${pid})` };
  return { remove: true, reason: `process ${pid} of run ${labels[LABEL.run]} is gone` };
}
