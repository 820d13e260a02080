import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseFaultNotes } from '../../../harness/suite/faults/fault.js';
import { addLatency, addLoss } from '../../../harness/suite/faults/link.js';
import { matchAddresses, nftTable } from '../../../harness/suite/faults/network.js';
import { fillFilesystem } from '../../../harness/suite/faults/filesystem.js';
import type { Server } from '../../../harness/environment/server.js';
import { BadInputError } from '../../../harness/errors.js';

const assertBadInput = (fn: () => Promise<unknown>, pattern: RegExp) =>
  assert.rejects(fn, (e: unknown) => e instanceof BadInputError && !e.message.includes('\n') && pattern.test(e.message));

/** A server that must never be reached: bad input is refused before any command. */
const untouchable = new Proxy({ name: 'app-1' }, {
  get: (t, k) => (k === 'name' ? t.name : () => assert.fail(`the server was used (${String(k)})`)),
}) as unknown as Server;

describe('suite/faults', () => {
  it('matches addresses per family, one rule each', () => {
    assert.deepEqual(matchAddresses('saddr', ['10.0.0.2', 'fd00::2', '10.0.1.2']), ['ip saddr { 10.0.0.2, 10.0.1.2 }', 'ip6 saddr { fd00::2 }']);
    assert.deepEqual(matchAddresses('daddr', ['10.0.0.2']), ['ip daddr { 10.0.0.2 }']);
  });

  it("writes one table per fault, named after it, with input and output chains under the policy", () => {
    const t = nftTable('f1', ['iif lo accept'], ['oif lo accept'], 'drop');
    assert.match(t, /^table inet shakedown_f1 \{\n  chain input \{\n    type filter hook input priority -10; policy drop;\n    iif lo accept\n  \}\n  chain output \{\n    type filter hook output priority -10; policy drop;\n    oif lo accept\n  \}\n\}\n$/);
  });

  it('reads the notes of faults in place, and ignores anything else', () => {
    assert.deepEqual(parseFaultNotes('2026-11-30T23:50:01.000Z\tstop cron\n\ngarbage\n'), [{ appliedAt: '2026-11-30T23:50:01.000Z', what: 'stop cron' }]);
  });

  it('refuses impossible amounts before touching the server', async () => {
    await assertBadInput(() => addLoss(untouchable as never, untouchable, 0), /percent must be an integer from 1 to 100, got 0/);
    await assertBadInput(() => addLatency(untouchable, 0), /ms must be an integer from 1 to 60000, got 0/);
    await assertBadInput(() => fillFilesystem(untouchable, '/srv', { leaveBytes: -1 }), /leaveBytes must be a whole number of bytes, got -1/);
  });
});
