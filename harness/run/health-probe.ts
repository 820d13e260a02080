import { reconnectServer } from '../environment/connect.js';
import type { RunningEnvironment } from '../environment/environment.js';
import { shellQuote, type Server } from '../environment/server.js';
import { FAILED_UNITS } from '../suite/checks/health.js';
import { LIST_FAULTS } from '../suite/faults/fault.js';
import type { Outcome, ServerProbe } from './health-reasons.js';

/** File systems that must have room: the root disk, /run (a small tmpfs), and the role's volumes. */
export function diskPaths(env: RunningEnvironment, server: Server): string[] {
  const volumes = env.topology.roles[server.role]?.volumes.map((v) => v.path) ?? [];
  return [...new Set(['/', '/run', ...volumes])];
}

/**
 * Asks one server everything the gate checks, all at once, each probe bounded by `budgetMs`:
 * a hung or cut-off server costs the gate one budget, never more.
 */
export async function probeServer(env: RunningEnvironment, server: Server, budgetMs: number): Promise<ServerProbe> {
  const paths = diskPaths(env, server);
  const invariants = env.topology.roles[server.role]?.invariants ?? [];
  const opts = { timeoutMs: budgetMs };
  const checked = Promise.all(invariants.map((inv) => within(server.sudo(inv.command, opts), budgetMs)));
  const [failedUnits, fresh, disk, faults] = await Promise.all([
    within(server.sh(FAILED_UNITS, opts), budgetMs),
    within(freshConnection(env, server, budgetMs), budgetMs),
    within(server.sh(`df --output=pcent,file ${paths.map(shellQuote).join(' ')}`, opts), budgetMs),
    within(server.sh(LIST_FAULTS, opts), budgetMs),
  ]);
  const results = await checked;
  return {
    server: server.name,
    failedUnits,
    fresh,
    disk,
    diskPaths: paths,
    faults,
    invariants: invariants.map((invariant, i) => ({ invariant, result: results[i]! })),
  };
}

/**
 * A new handshake through the bastion with the pinned host key, and a command on it. The existing
 * connection is not enough: stopping sshd's listener leaves established sessions alive.
 * A loaded machine may take seconds over a handshake, so connecting gets most of the budget; but
 * a server that is up has no reason to refuse, so a refusal is retried for 2 s at most.
 */
const REFUSED_RETRY_MS = 2_000;

async function freshConnection(env: RunningEnvironment, server: Server, budgetMs: number): Promise<void> {
  const started = Date.now();
  const conn = await reconnectServer(env.record, server.name, env.key, env.bastion, env.ctx, budgetMs - 1000, Math.min(REFUSED_RETRY_MS, budgetMs / 2));
  try {
    const r = await conn.exec('true', { timeoutMs: Math.max(500, budgetMs - (Date.now() - started)) });
    if (r.code !== 0) throw new Error(`a command on it exited ${r.code ?? 'by signal'}: ${r.stderr.trim()}`);
  } finally {
    conn.close();
  }
}

/**
 * Settles `work` into an Outcome. The probes time themselves out at `ms`; this catches one that
 * does not, `graceMs` later.
 */
export function within<T>(work: Promise<T>, ms: number, graceMs = 1000): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${ms + graceMs} ms` }), ms + graceMs);
    work.then(
      (value) => resolve({ ok: true, value }),
      (error: unknown) => resolve({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    ).finally(() => clearTimeout(timer));
  });
}
