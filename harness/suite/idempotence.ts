import { converge, SOURCE_DIR } from '../environment/converge.js';
import type { RunningEnvironment } from '../environment/environment.js';
import type { Server } from '../environment/server.js';
import { project, defectsFor } from '../project/index.js';
import { ansibleChanges, commandChanges, puppetChanges } from './changes.js';
import type { Record } from './actions.js';

/** What a second converge of `server` changed, in the words of the project's converge tool. */
async function secondConverge(env: RunningEnvironment, server: Server): Promise<string[]> {
  const version = env.record.version;
  const r = await converge(server, { version, defects: defectsFor(env.record.defects, server.role, version) });
  const changes = project().converge.changes;
  if (changes === 'ansible') return ansibleChanges(r.output);
  if (changes === 'puppet') return puppetChanges(r.output, r.code);
  if (!changes) return [];
  const printed = await server.mustWithInput(`cd ${SOURCE_DIR} && ${changes.command}`, Buffer.from(r.output));
  return commandChanges(printed);
}

/**
 * Molecule's idempotence check, through the bastion: every server of a fresh environment is
 * converged again, and the suite fails naming each server and what its converge changed.
 */
export async function idempotence(env: RunningEnvironment, record: Record): Promise<void> {
  const results = await Promise.allSettled(
    env.servers().map((server) =>
      record(`${server.name}: a second converge changes nothing`, async () => {
        const changed = await secondConverge(env, server);
        if (changed.length) throw new Error(`${server.name}: a second converge changed ${changed.length}: ${changed.join('; ')}`);
      }),
    ),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`${failed.length} of ${results.length} servers are not idempotent`);
}
