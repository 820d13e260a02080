import type { Server } from '../../environment/server.js';
import { shellQuote } from '../../environment/server.js';
import { journalCommand, journalExcerpt } from '../../environment/failure-cause.js';
import { assertNone } from './failure.js';

export function evaluateService(active: string, enabled: string): string[] {
  const problems: string[] = [];
  if (active !== 'active') problems.push(`is ${active || 'unknown'}, expected active`);
  if (enabled !== 'enabled' && enabled !== 'static') problems.push(`is ${enabled || 'unknown'} at boot, expected enabled`);
  return problems;
}

/** The systemd unit is running now and will start at boot. */
export async function expectService(server: Server, unit: string): Promise<void> {
  const q = shellQuote(unit);
  const r = await server.sh(`systemctl is-active ${q}; systemctl is-enabled ${q}`);
  const [active = '', enabled = ''] = r.stdout.trim().split('\n');
  const problems = evaluateService(active.trim(), enabled.trim());
  if (problems.length && active.trim() !== 'active') {
    // Why it is not running is in its own journal (a configuration error, say), not in systemctl's state.
    const journal = await server.sudo(journalCommand(unit), { timeoutMs: 10_000 }).catch(() => undefined);
    const excerpt = journal?.ok ? journalExcerpt(journal.stdout) : '';
    if (excerpt) problems.push(`its journal: ${excerpt}`);
  }
  assertNone(server.name, `service ${unit}`, problems);
}
