import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { shellQuote, type CommandResult, type Server } from '../environment/server.js';
import type { Evidence, ServerEvidence } from '../run/results.js';
import type { SuiteResult } from '../suite/runner.js';

/** What evidence is read from: a running environment's servers (a RunningEnvironment is one). */
export interface EvidenceSource {
  servers(): Pick<Server, 'name' | 'sudo'>[];
}

export interface CollectOptions {
  /** The attempt's start: logs from before it belong to someone else's story. */
  since: Date;
  resultsDir: string;
  /** Relative to resultsDir; see evidenceDirName(). */
  dir: string;
  /** Written to failure.txt; see failureText(). */
  failure: string;
}

const COMMAND_TIMEOUT_MS = 15_000;
const MAX_LINES = 5000;
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Gathers what a person needs to understand a failed attempt without the environment:
 * failure.txt, and from every server (in parallel) its journal and syslog since the attempt
 * began and its failed systemd units. A server that cannot be reached is noted in its entry and
 * the rest is still gathered: evidence is wanted most when things are broken.
 */
export async function collectEvidence(env: EvidenceSource, o: CollectOptions): Promise<Evidence> {
  const root = inside(o.resultsDir, o.dir);
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, 'failure.txt'), o.failure);
  const servers = await Promise.all(env.servers().map((s) => fromServer(s, o)));
  return { dir: o.dir, failure: o.failure, servers };
}

/** `evidence/<unit>/attempt-<n>` (`…/repeat-<r>/attempt-<n>` with `--repeat`), safe as a relative path: one segment per part, no `..`, no spaces. */
export function evidenceDirName(unit: string, attempt: number, repeat?: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`evidenceDirName: attempt must be a positive integer, got ${attempt}`);
  return `evidence/${safeSegment(unit)}/${repeat ? `repeat-${repeat}/` : ''}attempt-${attempt}`;
}

/** One path segment from any name: "functional/backup-restore" → "functional-backup-restore", "../x" → "x". */
export function safeSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return s || 'unnamed';
}

/** Every failed test of an attempt, its phase and full title, then its error (a failing command's output included); '' when none failed. */
export function failureText(phases: SuiteResult[]): string {
  return phases
    .flatMap((p) => p.tests.filter((t) => t.state === 'failed').map((t) => {
      const title = t.fullTitle.startsWith(`${p.phase}:`) ? t.fullTitle : `${p.phase}: ${t.fullTitle}`;
      return `✗ ${title}\n${(t.error ?? '(no error message)').trimEnd()}\n`;
    }))
    .join('\n');
}

/** The journal since `since`, as precise ISO timestamps. */
export const journalSince = (since: Date) =>
  `set -o pipefail; journalctl --no-pager -o short-iso-precise --since @${epochSeconds(since)} | tail -n ${MAX_LINES}`;

/**
 * The lines of an rsyslog file from the first one stamped at or after `since` to the end.
 * Timestamps are RFC 3339 (`2026-11-22T10:00:00.123456+00:00`); awk turns each into epoch
 * seconds, offset included, with plain arithmetic, since Debian's mawk may lack mktime().
 * Starting at the first such line rather than filtering each keeps multi-line messages whole.
 */
export const syslogSince = (since: Date, file = '/var/log/syslog') =>
  `set -o pipefail; awk -v since=${epochSeconds(since)} '${SYSLOG_AWK}' ${shellQuote(file)} | tail -n ${MAX_LINES}`;

const SYSLOG_AWK = [
  'function epoch(t,   y, mo, d, z, off) {',
  '  if (t !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) return -1',
  '  y = substr(t, 1, 4) + 0; mo = substr(t, 6, 2) + 0; d = substr(t, 9, 2) + 0',
  '  z = t; sub(/^[^T]*T[0-9:.]*/, "", z); off = 0',
  '  if (z ~ /^[+-][0-9][0-9]:[0-9][0-9]$/) { off = (substr(z, 2, 2) * 60 + substr(z, 5, 2)) * 60; if (substr(z, 1, 1) == "-") off = -off }',
  '  if (mo <= 2) { y--; mo += 12 }',
  '  d = 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (mo - 3) + 2) / 5) + d - 719469',
  '  return d * 86400 + substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + substr(t, 18, 2) - off',
  '}',
  'on || epoch($1) >= since + 0 { on = 1; print }',
].join('\n');

/** Failed units, then each one's status with its last log lines. */
export const failedUnits = () =>
  [
    'set -o pipefail; {',
    'list=$(systemctl --failed --no-legend --plain) || exit $?',
    'if [ -z "$list" ]; then echo "(no failed units)"; exit 0; fi',
    'printf "%s\\n" "$list"',
    'for u in $(printf "%s\\n" "$list" | awk \'{ print $1 }\'); do echo; systemctl status --no-pager --full --lines=50 -- "$u" || true; done',
    `} | tail -n ${MAX_LINES}`,
  ].join('\n');

const FILES: { file: string; command: (since: Date) => string }[] = [
  { file: 'journal.txt', command: journalSince },
  { file: 'syslog.txt', command: (since) => syslogSince(since) },
  { file: 'failed-units.txt', command: failedUnits },
];

async function fromServer(server: Pick<Server, 'name' | 'sudo'>, o: CollectOptions): Promise<ServerEvidence> {
  const dir = path.posix.join(o.dir, safeSegment(server.name));
  await mkdir(path.join(o.resultsDir, dir), { recursive: true });
  const results = await Promise.allSettled(
    FILES.map(async ({ file, command }) => {
      const r = await server.sudo(command(o.since), { timeoutMs: COMMAND_TIMEOUT_MS });
      await writeFile(path.join(o.resultsDir, dir, file), fileContent(r));
      return path.posix.join(dir, file);
    }),
  );
  const files = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const errors = [...new Set(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error)?.message ?? String(r.reason)] : [])))];
  return { server: server.name, files, ...(errors.length ? { error: errors.join('; ') } : {}) };
}

/** The output, capped; a command that failed says so at the end rather than leaving an empty file unexplained. */
function fileContent(r: CommandResult): string {
  const out = capped(r.stdout);
  if (r.ok) return out;
  const why = r.stderr.trim() ? `: ${capped(r.stderr.trim(), 64 * 1024)}` : '';
  return `${out}${out && !out.endsWith('\n') ? '\n' : ''}[shakedown: exited ${r.code ?? 'by signal'}${why}]\n`;
}

/** The last `max` bytes of a text: the end of a log is where a failure shows. */
export function capped(text: string, max = MAX_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  return `[shakedown: truncated to the last ${max} bytes]\n${bytes.subarray(bytes.length - max).toString('utf8')}`;
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** resultsDir/dir, refusing a dir that would leave resultsDir. */
function inside(resultsDir: string, dir: string): string {
  const full = path.resolve(resultsDir, dir);
  const rel = path.relative(path.resolve(resultsDir), full);
  if (!rel || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new RangeError(`collectEvidence: dir '${dir}' must be a path inside the results directory`);
  return full;
}
