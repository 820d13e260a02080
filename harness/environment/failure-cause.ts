import type { Changes } from '../project/schema.js';
import { shellQuote } from './server.js';

/** Where a configuration run stopped: the task (Ansible) or resource (Puppet), and what it said. */
export interface FailedTask {
  task: string;
  message: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const MESSAGE_CHARS = 300;
/** Per journal line: a daemon's error names the file and line, and must not be cut by the lines around it. */
const JOURNAL_LINE_CHARS = 200;
/** How many of a service's own journal lines a failure quotes. */
export const JOURNAL_LINES = 5;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const oneLine = (text: string) => cut(text.split('\n').map((l) => l.trim()).filter(Boolean).join(' | '), MESSAGE_CHARS);

/** What Ansible printed after `=>`: its `msg` (and the command's stderr), or the text itself. */
function ansibleMessage(result: string): string {
  try {
    const r = JSON.parse(result) as { msg?: unknown; stderr?: unknown; stdout?: unknown };
    const parts = [r.msg, r.stderr || (r.msg ? '' : r.stdout)].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
    return oneLine(parts.join('\n')) || oneLine(result);
  } catch {
    return oneLine(result);
  }
}

/**
 * The task an Ansible run failed at: the last TASK or RUNNING HANDLER header before its last
 * `fatal:` line that Ansible did not go on to ignore.
 */
export function ansibleFailure(output: string): FailedTask | undefined {
  let task = '?';
  let failed: FailedTask | undefined;
  for (const line of output.replace(ANSI, '').split('\n')) {
    const header = /^(?:TASK|RUNNING HANDLER) \[(.+?)\]/.exec(line);
    if (header) task = header[1]!;
    const fatal = /^fatal: \[[^\]]*\]: (?:FAILED|UNREACHABLE)! => (.*)$/.exec(line);
    if (fatal) failed = { task, message: ansibleMessage(fatal[1]!) };
    if (/^\.\.\.ignoring$/.test(line.trim()) && failed?.task === task) failed = undefined;
  }
  return failed;
}

/** The resource a Puppet run failed at: its last `Error: /Stage[main]/…/Type[title]…: message` line. */
export function puppetFailure(output: string): FailedTask | undefined {
  let failed: FailedTask | undefined;
  for (const line of output.replace(ANSI, '').split('\n')) {
    const m = /^Error: (\/Stage\[[^:]*\]): (.*)$/.exec(line);
    const resource = m && /([A-Z][\w:]*\[[^\]]*\])[^[]*$/.exec(m[1]!)?.[1];
    if (resource) failed = { task: resource, message: oneLine(m[2]!) };
  }
  return failed;
}

/** The failing task, read the way the project's converge tool prints it; a project's own command names none. */
export function failedTask(tool: Changes | undefined, output: string): FailedTask | undefined {
  if (tool === 'ansible') return ansibleFailure(output);
  if (tool === 'puppet') return puppetFailure(output);
  return undefined;
}

const UNIT = '[A-Za-z0-9@_.:\\\\-]+';
/** How a failure names the service it is about: the tools' messages and a systemctl command line. */
const UNIT_MENTIONS = [
  new RegExp(`Unable to (?:start|stop|restart|reload|enable|disable) service (${UNIT}?):?(?:\\s|$)`, 'g'),
  new RegExp(`Job for (${UNIT}) failed`, 'g'),
  new RegExp(`journalctl -xeu (${UNIT})`, 'g'),
  new RegExp(`\\bService\\[(${UNIT})\\]`, 'g'),
];
const SYSTEMCTL = /\bsystemctl\s+(?:--\S+\s+)*(?:start|stop|restart|reload|reload-or-restart|try-restart|enable --now)\s+([^;&|<>\n]+)/g;

/** The systemd units a failure is about, named in its message or in the systemctl command that failed. */
export function unitsNamed(text: string): string[] {
  const found: string[] = [];
  const add = (u: string) => {
    const unit = u.replace(/\.service$/, '');
    if (unit && !unit.startsWith('-') && !found.includes(unit)) found.push(unit);
  };
  for (const re of UNIT_MENTIONS) for (const m of text.matchAll(re)) add(m[1]!);
  for (const m of text.matchAll(SYSTEMCTL)) m[1]!.trim().split(/\s+/).forEach(add);
  return found.slice(0, 2);
}

/** A unit's last journal lines, as the service itself logged them. */
export const journalCommand = (unit: string, lines = JOURNAL_LINES) => `journalctl -u ${shellQuote(unit)} -n ${lines} --no-pager -o cat`;

/** journalctl's output as one line: its own notices dropped, the last few lines kept. */
export function journalExcerpt(output: string, lines = JOURNAL_LINES): string {
  const kept = output.split('\n').map((l) => l.trim()).filter((l) => l && !/^-- .* --$/.test(l));
  return kept.slice(-lines).map((l) => cut(l, JOURNAL_LINE_CHARS)).join(' | ');
}

/** Runs a command as root on the failing server; the server's `sudo`. */
export type Sudo = (command: string) => Promise<{ stdout: string; code: number | null }>;

/** Each unit's last journal lines, as one line ('' for none, or when the journal cannot be read). */
export async function unitJournals(sudo: Sudo, units: string[]): Promise<string> {
  const parts = await Promise.all(
    units.map(async (unit) => {
      const r = await sudo(journalCommand(unit)).catch(() => undefined);
      const excerpt = r && r.code === 0 ? journalExcerpt(r.stdout) : '';
      return excerpt ? `${unit}'s journal: ${excerpt}` : '';
    }),
  );
  return parts.filter(Boolean).join('; ');
}

/**
 * The journal lines of the units a failure names, ready to append to its message ('' when it
 * names none or the journal cannot be read: the failure itself must still be reported).
 */
export const journalCause = (sudo: Sudo, failure: string): Promise<string> => unitJournals(sudo, unitsNamed(failure));

/** One readable sentence: what failed, the task it failed at, and the service's own words. */
export function withCause(what: string, failed: FailedTask | undefined, fallback: string, journal: string): string {
  const at = failed ? ` at task [${failed.task}]: ${failed.message}` : `: ${fallback}`;
  return `${what}${at}${journal ? ` — ${journal}` : ''}`;
}
