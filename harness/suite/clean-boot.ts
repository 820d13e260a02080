import { unitJournals } from '../environment/failure-cause.js';
import type { Server } from '../environment/server.js';
import { assertNone } from './checks/failure.js';
import { FAILED_UNITS, parseFailedUnits } from './checks/health.js';

/**
 * A boot must leave no unit failed: checked after every reboot of a lifecycle action, not only by the
 * build suite after the last one, because the next reboot clears a failed unit and the action's
 * window excuses what the unit logged. Names each failed unit with its own last journal lines.
 */
export async function expectCleanBoot(server: Server): Promise<void> {
  const failed = parseFailedUnits((await server.sh(FAILED_UNITS)).stdout);
  if (!failed.length) return;
  const journals = await unitJournals((c) => server.sudo(c), failed);
  assertNone(server.name, 'booted with failed units', [`${failed.join(', ')} failed${journals ? ` — ${journals}` : ''}`]);
}
