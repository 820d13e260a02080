import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { within } from '../../../harness/run/health-probe.js';

describe('run/health-probe: within', () => {
  it('settles a value or an error into an outcome', async () => {
    assert.deepEqual(await within(Promise.resolve(7), 1000), { ok: true, value: 7 });
    assert.deepEqual(await within(Promise.reject(new Error('db-1: lost')), 1000), { ok: false, error: 'db-1: lost' });
  });

  it('gives up on work that never ends, after the budget and the grace', async () => {
    const started = Date.now();
    const outcome = await within(new Promise<never>(() => undefined), 30, 20);
    const took = Date.now() - started;
    assert.deepEqual(outcome, { ok: false, error: 'no answer within 50 ms' });
    assert.ok(took >= 45 && took < 1000, `took ${took} ms`);
  });
});
