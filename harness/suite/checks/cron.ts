import type { Server } from '../../environment/server.js';
import { scheduleProblem } from './cron-schedule.js';
import { assertNone } from './failure.js';

export interface CronFile {
  path: string;
  owner: string;
  mode: string;
  content: string;
}

export interface CronExpectation {
  /** The job's command, as a pattern. */
  command: RegExp;
  user?: string;
  schedule?: string;
}


/** Why cron(8) on Debian would skip this file, if it would. */
export function whyCronIgnores(file: CronFile): string | undefined {
  const base = file.path.split('/').pop()!;
  if (file.path.startsWith('/etc/cron.d/') && !/^[A-Za-z0-9_-]+$/.test(base)) {
    return `cron ignores ${file.path}: names in /etc/cron.d may hold only letters, digits, '_' and '-'`;
  }
  if (file.path.startsWith('/etc/') && file.owner !== 'root') return `cron ignores ${file.path}: owned by ${file.owner}, not root`;
  if ((parseInt(file.mode, 8) & 0o022) !== 0) return `cron ignores ${file.path}: mode ${file.mode} is group- or world-writable`;
  if (file.path.startsWith('/var/spool/cron/') && (parseInt(file.mode, 8) & 0o077) !== 0) return `cron ignores ${file.path}: a user crontab must be mode 600`;
  return undefined;
}

function parseLine(line: string, hasUser: boolean): { schedule: string; user?: string; command: string } | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#') || /^[A-Za-z_]+=/.test(t)) return undefined;
  const parts = t.split(/\s+/);
  const nSched = parts[0]!.startsWith('@') ? 1 : 5;
  const schedule = parts.slice(0, nSched);
  const user = hasUser ? parts[nSched] : undefined;
  const command = parts.slice(nSched + (hasUser ? 1 : 0)).join(' ');
  return { schedule: schedule.join(' '), user, command };
}

/** Finds the job among cron's files and says what would stop cron from running it. */
export function evaluateCron(files: CronFile[], users: string[], cronActive: boolean, want: CronExpectation): string[] {
  for (const file of files) {
    const hasUser = !file.path.startsWith('/var/spool/cron/');
    const lines = file.content.split('\n');
    const idx = lines.findIndex((l) => parseLine(l, hasUser) && want.command.test(l));
    if (idx < 0) continue;
    const entry = parseLine(lines[idx]!, hasUser)!;
    const problems: string[] = [];
    const ignored = whyCronIgnores(file);
    if (ignored) problems.push(ignored);
    if (!file.content.endsWith('\n')) problems.push(`${file.path} does not end with a newline, so cron drops its last line`);
    const bad = scheduleProblem(entry.schedule);
    if (bad) problems.push(`schedule '${entry.schedule}' is not valid: ${bad}`);
    if (want.schedule && entry.schedule !== want.schedule) problems.push(`schedule is '${entry.schedule}', expected '${want.schedule}'`);
    if (hasUser && entry.user && !users.includes(entry.user)) problems.push(`runs as '${entry.user}', who does not exist`);
    if (want.user && hasUser && entry.user !== want.user) problems.push(`runs as '${entry.user}', expected '${want.user}'`);
    if (!cronActive) problems.push('the cron daemon is not running');
    return problems;
  }
  return [`no entry matching ${want.command} in /etc/crontab, /etc/cron.d or users' crontabs`];
}

const LIST_CRON = `for f in /etc/crontab /etc/cron.d/* /var/spool/cron/crontabs/*; do [ -f "$f" ] && printf '%s|%s|%s\\n' "$f" "$(stat -c '%U|%a' "$f")" "$(base64 -w0 < "$f")"; done; true`;

/** A cron job is installed where cron will read it, valid, and cron runs. */
export async function expectCronJob(server: Server, want: CronExpectation): Promise<void> {
  const [list, users, active] = await Promise.all([
    server.sudo(LIST_CRON),
    server.sh("getent passwd | cut -d: -f1"),
    server.sh('systemctl is-active cron'),
  ]);
  const files = list.stdout.split('\n').filter(Boolean).map((l) => {
    const [path, owner, mode, b64] = l.split('|');
    return { path: path!, owner: owner!, mode: mode!, content: Buffer.from(b64 ?? '', 'base64').toString('utf8') };
  });
  const problems = evaluateCron(files, users.stdout.split('\n'), active.stdout.trim() === 'active', want);
  assertNone(server.name, `cron job ${want.command}`, problems);
}
