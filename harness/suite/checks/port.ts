import type { Server } from '../../environment/server.js';
import { assertNone } from './failure.js';

/** The processes that `ss -Htlnp` shows listening on a TCP port. */
export function listenersOn(ssOutput: string, port: number): string[] {
  const names = new Set<string>();
  for (const line of ssOutput.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (!cols[3]?.endsWith(`:${port}`)) continue;
    for (const m of line.matchAll(/\("([^"]+)",pid=/g)) names.add(m[1]!);
    if (!line.includes('users:')) names.add('?');
  }
  return [...names];
}

export function evaluatePort(ssOutput: string, port: number, process?: string): string[] {
  const who = listenersOn(ssOutput, port);
  if (!who.length) return ['nothing listens'];
  if (process && !who.includes(process)) return [`${who.join(', ')} listens, expected ${process}`];
  return [];
}

/** Something listens on the TCP port; if a process name is given, that process. */
export async function expectListening(server: Server, port: number, process?: string): Promise<void> {
  const r = await server.sudo('ss -Htlnp');
  assertNone(server.name, `port ${port}/tcp`, evaluatePort(r.stdout, port, process));
}
