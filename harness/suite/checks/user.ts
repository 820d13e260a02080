import type { Server } from '../../environment/server.js';
import { shellQuote } from '../../environment/server.js';
import { assertNone } from './failure.js';

export function evaluateUser(passwdLine: string, groups: string, want: { shell?: string; groups?: string[] }): string[] {
  if (!passwdLine.trim()) return ['does not exist'];
  const problems: string[] = [];
  const shell = passwdLine.trim().split(':')[6];
  if (want.shell && shell !== want.shell) problems.push(`shell is ${shell}, expected ${want.shell}`);
  const has = groups.trim().split(/\s+/);
  for (const g of want.groups ?? []) if (!has.includes(g)) problems.push(`not in group ${g}`);
  return problems;
}

/** The user exists, with the shell and groups declared. */
export async function expectUser(server: Server, user: string, want: { shell?: string; groups?: string[] } = {}): Promise<void> {
  const q = shellQuote(user);
  const [pw, groups] = await Promise.all([server.sh(`getent passwd ${q}`), server.sh(`id -nG ${q}`)]);
  assertNone(server.name, `user ${user}`, evaluateUser(pw.stdout, groups.stdout, want));
}

/** The group exists. */
export async function expectGroup(server: Server, group: string): Promise<void> {
  const r = await server.sh(`getent group ${shellQuote(group)}`);
  assertNone(server.name, `group ${group}`, r.ok && r.stdout.trim() ? [] : ['does not exist']);
}
