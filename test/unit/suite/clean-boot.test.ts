import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Server } from '../../../harness/environment/server.js';
import { expectCleanBoot } from '../../../harness/suite/clean-boot.js';
import { FAILED_UNITS } from '../../../harness/suite/checks/health.js';

/** A server answering `systemctl --failed` with `failed`, and each unit's journal from `journals` (none: unreadable). */
function server(failed: string, journals: Record<string, string> = {}): Server {
  const run = async (command: string) => {
    if (command === FAILED_UNITS) return { stdout: failed, stderr: '', code: 0, command };
    const unit = Object.keys(journals).find((u) => command.startsWith(`journalctl -u '${u}'`));
    return unit ? { stdout: journals[unit]!, stderr: '', code: 0, command } : { stdout: '', stderr: 'No journal files', code: 1, command };
  };
  return { name: 'web-2', sh: run, sudo: run } as unknown as Server;
}

describe('suite/clean-boot: every reboot must leave no unit failed', () => {
  it('passes a boot with no failed unit', async () => {
    await expectCleanBoot(server(''));
  });

  it("fails naming each failed unit and its own last journal lines", async () => {
    const journal = 'Starting platform-prime.service...\ncannot prime the notes cache: the database at db:5432 does not accept connections\n';
    const boot = server('platform-prime.service loaded failed failed Prime the notes cache\n', { 'platform-prime.service': journal });
    await assert.rejects(expectCleanBoot(boot), (e: Error) => {
      assert.match(e.message, /^web-2: booted with failed units: platform-prime\.service failed — platform-prime\.service's journal: .*does not accept connections/);
      return true;
    });
  });

  it('still fails, naming the unit, when its journal cannot be read', async () => {
    await assert.rejects(expectCleanBoot(server('a.service loaded failed failed A\n')), /web-2: booted with failed units: a\.service failed$/);
  });
});
