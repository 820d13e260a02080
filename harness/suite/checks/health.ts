import type { Server } from '../../environment/server.js';
import type { UnitWindow } from '../../environment/environment.js';
import { assertNone } from './failure.js';

/** Lines that are known and harmless, each with the reason it is allowed. */
export interface AllowedLine {
  pattern: RegExp;
  why: string;
}

const SYSLOG_ERROR = /\b(error|err|crit|critical|fatal|failed|failure|panic)\b/i;

/** Lists failed systemd units, one per line, name first; readable as testadmin (a full /run can break sudo). */
export const FAILED_UNITS = 'systemctl --failed --no-legend --plain --full';

/** Unit names from FAILED_UNITS' output. */
export function parseFailedUnits(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((u): u is string => !!u);
}

/**
 * The activating units' state and since when (CLOCK_MONOTONIC, in µs), after a `now=` line with
 * the uptime in seconds: /proc/uptime and systemd's monotonic stamps count from the same boot.
 */
export const ACTIVATING_UNITS =
  "echo now=$(cut -d' ' -f1 /proc/uptime); u=$(systemctl list-units --all --state=activating --no-legend --plain --full | awk '{print $1}'); " +
  '[ -z "$u" ] || systemctl show -p Id -p ActiveState -p SubState -p StateChangeTimestampMonotonic $u';

/** systemd's own DefaultTimeoutStartSec: a unit still starting after it would be killed by a plain start is stuck. */
export const ACTIVATING_BOUND_MS = 90_000;

export interface ActivatingUnit {
  unit: string;
  sub: string;
  /** How long it has been activating. */
  forMs: number;
}

/** ACTIVATING_UNITS' output as units: `systemctl show` prints one blank-line-separated block per unit. */
export function parseActivating(stdout: string): ActivatingUnit[] {
  const now = Number(/^now=([\d.]+)/m.exec(stdout)?.[1] ?? NaN) * 1000;
  const blocks = stdout.replace(/^now=.*$/m, '').split(/\n\s*\n/);
  return blocks.flatMap((b) => {
    const prop = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(b)?.[1]?.trim() ?? '';
    if (!prop('Id') || prop('ActiveState') !== 'activating') return [];
    const since = Number(prop('StateChangeTimestampMonotonic')) / 1000;
    return [{ unit: prop('Id'), sub: prop('SubState'), forMs: since > 0 && now > 0 ? Math.max(0, now - since) : 0 }];
  });
}

/** Units stuck restarting: waiting to be restarted after dying, or starting for longer than the bound. */
export function stuckUnits(units: ActivatingUnit[], boundMs = ACTIVATING_BOUND_MS): string[] {
  return units.flatMap((u) => {
    if (u.sub === 'auto-restart') return [`${u.unit} is restarting (activating, auto-restart): it died and systemd is starting it again`];
    if (u.forMs > boundMs) return [`${u.unit} has been activating (${u.sub}) for ${Math.round(u.forMs / 1000)} s, more than ${boundMs / 1000} s`];
    return [];
  });
}

export interface FailedUnitsOptions {
  /** How long a unit may be activating before it counts as stuck (default: ACTIVATING_BOUND_MS). */
  activatingBoundMs?: number;
}

/** No systemd unit is in the failed state or stuck restarting. */
export async function expectNoFailedUnits(server: Server, opts: FailedUnitsOptions = {}): Promise<void> {
  const [failedOut, activatingOut] = await Promise.all([server.sh(FAILED_UNITS), server.sh(ACTIVATING_UNITS)]);
  const failed = parseFailedUnits(failedOut.stdout);
  const stuck = stuckUnits(parseActivating(activatingOut.stdout), opts.activatingBoundMs);
  assertNone(server.name, 'failed units', [...(failed.length ? [`${failed.join(', ')} failed`] : []), ...stuck]);
}

/** Error lines that the allow-list does not excuse. */
export function unexcused(lines: string[], allow: AllowedLine[]): string[] {
  return lines.filter((l) => l.trim() && !allow.some((a) => a.pattern.test(l)));
}

/** The time a log line starts with (RFC 3339, or journalctl's short-iso-precise `+0000` offset), if any. */
export function lineTime(line: string): number {
  return Date.parse((line.trim().split(' ')[0] ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** Lines a unit's doing may still log after it ends (a daemon noticing what it killed). */
const TRAILING_MS = 1000;

/**
 * Lines not stamped inside one of the windows. Stamps are to the microsecond and a window opens
 * exactly when its unit starts: a line logged just before (by the launch's converge, say) is never
 * excused. Only the end has slack. Docker servers share the harness's clock; cloud ones keep it by NTP.
 */
export function outsideWindows(lines: string[], windows: UnitWindow[]): string[] {
  return lines.filter((l) => {
    const t = lineTime(l);
    return Number.isNaN(t) || !windows.some((w) => t >= w.start.getTime() && t <= w.end.getTime() + TRAILING_MS);
  });
}

/** Syslog lines (RFC 3339 stamps) at or after `since` that read as errors. */
export function syslogErrors(syslog: string, since: Date): string[] {
  return syslog.split('\n').filter((l) => {
    const stamp = Date.parse(l.split(' ')[0] ?? '');
    return !Number.isNaN(stamp) && stamp >= since.getTime() - 1000 && SYSLOG_ERROR.test(l.split(' ').slice(2).join(' '));
  });
}

/** When the server last booted: the boot marker is written once per boot. */
export async function bootTime(server: Server): Promise<Date> {
  const r = await server.must('stat -c %Y /run/boot-marker');
  return new Date(Number(r.trim()) * 1000);
}

/** Nothing at priority err or worse in the journal, and no error lines in syslog, since `since`. */
export async function expectNoNewErrors(server: Server, since: Date, allow: AllowedLine[] = [], excused: UnitWindow[] = []): Promise<void> {
  const epoch = Math.floor(since.getTime() / 1000) - 1;
  const [journal, syslog] = await Promise.all([
    server.sudo(`journalctl -q -p err --since @${epoch} -o short-iso-precise --no-pager`),
    server.sudo('cat /var/log/syslog 2>/dev/null || true'),
  ]);
  const problems = [
    ...unexcused(outsideWindows(journal.stdout.split('\n'), excused), allow).map((l) => `journal: ${l.trim()}`),
    ...unexcused(outsideWindows(syslogErrors(syslog.stdout, since), excused), allow).map((l) => `syslog: ${l.trim()}`),
  ];
  assertNone(server.name, `errors logged since ${since.toISOString()}`, problems.slice(0, 5).concat(problems.length > 5 ? [`…and ${problems.length - 5} more`] : []));
}
