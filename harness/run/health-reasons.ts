import type { ExecResult } from '../ssh/connection.js';
import { parseFailedUnits } from '../suite/checks/health.js';
import { parseFaultNotes } from '../suite/faults/fault.js';
import type { Invariant } from '../topology/schema.js';

/** How a probe ended: with a value, or with the error that stopped it (a transport failure, a timeout). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** Everything the health gate learnt about one server; turned into reasons without touching the server. */
export interface ServerProbe {
  server: string;
  /** `systemctl --failed` over the connection the suites use: also proves that connection still runs commands. */
  failedUnits: Outcome<ExecResult>;
  /** A new handshake through the bastion, with the pinned host key, and a command on it. */
  fresh: Outcome<void>;
  /** `df --output=pcent,file` of `diskPaths`. */
  disk: Outcome<ExecResult>;
  diskPaths: string[];
  /** The notes of faults (harness/suite/faults) still in place on it. */
  faults: Outcome<ExecResult>;
  invariants: { invariant: Invariant; result: Outcome<ExecResult> }[];
}

/** A file system this full counts as full: services start failing to write soon after. */
export const FULL_PERCENT = 95;

/** Percent used per path from `df --output=pcent,file PATH…` (header line first; the path may hold spaces). */
export function parseDiskUsage(stdout: string): Map<string, number> {
  const usage = new Map<string, number>();
  for (const line of stdout.split('\n').slice(1)) {
    const m = /^\s*(\d+)%\s+(.+)$/.exec(line);
    if (m) usage.set(m[2]!, Number(m[1]));
  }
  return usage;
}

/** Why a server is unfit for the next unit; empty when it is fit. One line per reason, naming the server. */
export function serverReasons(probe: ServerProbe, baselineFailed: readonly string[]): string[] {
  const s = probe.server;
  const reasons: string[] = [];
  if (!probe.failedUnits.ok) reasons.push(`${s}: unreachable through the bastion: its connection no longer runs commands (${detail(s, probe.failedUnits.error)})`);
  if (!probe.fresh.ok) reasons.push(`${s}: unreachable through the bastion: a fresh SSH connection failed (${detail(s, probe.fresh.error)})`);
  // Without the connection the suites use, nothing else can be judged (and every probe failed the same way).
  if (!probe.failedUnits.ok) return reasons;
  const fresh = parseFailedUnits(probe.failedUnits.value.stdout).filter((u) => !baselineFailed.includes(u));
  if (fresh.length) reasons.push(`${s}: systemd units failed since launch: ${fresh.join(', ')}`);
  reasons.push(...diskReasons(s, probe.disk, probe.diskPaths));
  reasons.push(...faultReasons(s, probe.faults));
  for (const { invariant, result } of probe.invariants) {
    const why = invariantFailure(s, invariant, result);
    if (why) reasons.push(`${s}: invariant '${invariant.name}' failed: ${why}`);
  }
  return reasons;
}

function diskReasons(s: string, disk: Outcome<ExecResult>, paths: string[]): string[] {
  if (!disk.ok) return [`${s}: could not read disk usage (${detail(s, disk.error)})`];
  const usage = parseDiskUsage(disk.value.stdout);
  return paths.flatMap((p) => {
    const pct = usage.get(p);
    if (pct === undefined) return [`${s}: could not read disk usage of ${p} (${oneLine(disk.value.stderr) || `df exited ${disk.value.code}`})`];
    return pct >= FULL_PERCENT ? [`${s}: ${p} is ${pct}% full`] : [];
  });
}

function faultReasons(s: string, faults: Outcome<ExecResult>): string[] {
  if (!faults.ok) return [`${s}: could not list the faults in place (${detail(s, faults.error)})`];
  return parseFaultNotes(faults.value.stdout).map((f) => `${s}: fault '${f.what}' left in place (applied ${f.appliedAt})`);
}

function invariantFailure(s: string, inv: Invariant, result: Outcome<ExecResult>): string | undefined {
  if (!result.ok) return `${inv.command}: ${detail(s, result.error)}`;
  if (result.value.code === 0) return undefined;
  const said = oneLine(result.value.stderr) || oneLine(result.value.stdout);
  return `${inv.command} exited ${result.value.code ?? 'by signal'}${said ? `: ${said}` : ''}`;
}

/** An error's message without the leading `server: ` that transport errors carry, on one line. */
function detail(server: string, message: string): string {
  return clip((message.startsWith(`${server}: `) ? message.slice(server.length + 2) : message).replace(/\s+/g, ' ').trim());
}

/** A command's last non-empty line of output, which is where tools say why they failed. */
function oneLine(text: string): string {
  return clip(text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '');
}

const clip = (line: string) => (line.length > 200 ? `${line.slice(0, 199)}…` : line);
