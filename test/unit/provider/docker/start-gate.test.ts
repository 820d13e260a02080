import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { StartGate } from '../../../../harness/provider/docker/start-gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('provider/docker/start-gate', () => {
  it('lets `limit` starts go on at once and the rest wait, first come first served', async () => {
    const gate = new StartGate(2);
    const order: number[] = [];
    const releases: (() => void)[] = [];
    for (let i = 0; i < 5; i++) void gate.acquire().then((release) => { order.push(i); releases[i] = release; });
    await tick();
    assert.deepEqual(order, [0, 1]);
    assert.deepEqual(gate.load, { running: 2, waiting: 3 });
    releases[1]!();
    await tick();
    assert.deepEqual(order, [0, 1, 2]);
    releases[0]!();
    releases[2]!();
    await tick();
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.deepEqual(gate.load, { running: 2, waiting: 0 });
  });

  it('a release called twice frees one turn only', async () => {
    const gate = new StartGate(1);
    const first = await gate.acquire();
    let second: (() => void) | undefined;
    let third: (() => void) | undefined;
    void gate.acquire().then((r) => (second = r));
    void gate.acquire().then((r) => (third = r));
    first();
    first();
    await tick();
    assert.ok(second);
    assert.equal(third, undefined);
    assert.deepEqual(gate.load, { running: 1, waiting: 1 });
  });

  it('refuses a limit below 1', () => {
    assert.throws(() => new StartGate(0), /limit must be a whole number of at least 1, not 0/);
  });
});
