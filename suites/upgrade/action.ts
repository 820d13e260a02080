import { converge, type RunningEnvironment, type Server, defectsFor, type Record, upgradeTarget } from 'shakedown';
import { describeCodes, lbUrl } from '../platform.js';
import { startLoad } from './load.js';
import { readProcedure } from './procedure.js';

/** What the upgrade saw, for the suite's own specs after it. */
export const observed = { requests: 0, failed: 0, codes: '' };

/**
 * The platform's rolling upgrade, over SSH as an operator runs it: phase by phase from
 * images/platform/upgrade.json (of the ref being upgraded to), each server drained (`before`), converged to the new version,
 * and put back (`after`), while requests keep flowing through the load balancer.
 */
export async function action(env: RunningEnvironment, record: Record): Promise<void> {
  const procedure = readProcedure();
  // Shakedown says where to: the run's target version (production's v1 to development's v2 by default).
  const to = upgradeTarget(env);
  const stopLoad = startLoad(env.bastion, lbUrl('/'));
  try {
    for (const phase of procedure.phases) {
      const servers = env.servers().filter((s) => phase.roles.includes(s.role));
      const upgrade = (server: Server) =>
        record(`${server.name} upgraded to ${to}`, async () => {
          if (phase.before) await server.must(phase.before, { timeoutMs: 60_000 });
          await converge(server, { version: to, defects: defectsFor(env.record.defects, server.role, to) });
          if (phase.after) await server.must(phase.after, { timeoutMs: 60_000 });
        });
      if (phase.serial) for (const s of servers) await upgrade(s);
      else await Promise.all(servers.map(upgrade));
    }
    env.record.version = to;
  } finally {
    const codes = await stopLoad();
    observed.requests = [...codes.values()].reduce((a, b) => a + b, 0);
    observed.failed = observed.requests - (codes.get('200') ?? 0);
    observed.codes = describeCodes(codes);
  }
}
