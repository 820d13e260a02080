import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { InfrastructureError } from '../../errors.js';

/** Measured: systemd and the services of one server hold about 7 inotify instances. */
export const INOTIFY_PER_SERVER = 8;
const LIMIT_FILE = '/proc/sys/fs/inotify/max_user_instances';

/** inotify instances open on this host now (all containers share root's count). */
export function inotifyInUse(): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:inotify') n++;
        } catch {
          // The descriptor closed while we looked.
        }
      }
    } catch {
      // The process ended, or is not ours to read.
    }
  }
  return n;
}

/** Whether `servers` more servers fit under the host's inotify limit; the one-line error says what to do. */
export function checkInotifyRoom(servers: number, what: string, limit = readLimit(), inUse = inotifyInUse()): void {
  if (limit === undefined) return;
  const needed = servers * INOTIFY_PER_SERVER;
  if (inUse + needed <= limit) return;
  const fit = Math.max(0, Math.floor((limit - inUse) / INOTIFY_PER_SERVER));
  throw new InfrastructureError(
    `${what} needs about ${needed} inotify instances for ${servers} servers (${inUse} in use, host limit ${limit}): ` +
      `raise it (sysctl -w fs.inotify.max_user_instances=1024, as scripts/setup.sh does) or run fewer servers at once (${fit} fit)`,
  );
}

/** How many servers fit under the host's inotify limit now; undefined when the limit cannot be read. */
export function serversRoom(limit = readLimit(), inUse = inotifyInUse()): number | undefined {
  return limit === undefined ? undefined : Math.max(0, Math.floor((limit - inUse) / INOTIFY_PER_SERVER));
}

function readLimit(): number | undefined {
  try {
    return Number(readFileSync(LIMIT_FILE, 'utf8').trim());
  } catch {
    return undefined;
  }
}
