import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import PQueue from 'p-queue';
import { takeTurn } from '../../../../harness/provider/docker/start-turn.js';

const tick = () => new Promise((r) => setImmediate(r));
const load = (q: PQueue) => ({ running: q.pending, waiting: q.size });

describe('provider/docker/start-turn', () => {
  it('lets `concurrency` starts go on at once and the rest wait, first come first served', async () => {
    const queue = new PQueue({ concurrency: 2 });
    const order: number[] = [];
    const releases: (() => void)[] = [];
    for (let i = 0; i < 5; i++) void takeTurn(queue).then((release) => { order.push(i); releases[i] = release; });
    await tick();
    assert.deepEqual(order, [0, 1]);
    assert.deepEqual(load(queue), { running: 2, waiting: 3 });
    releases[1]!();
    await tick();
    assert.deepEqual(order, [0, 1, 2]);
    releases[0]!();
    releases[2]!();
    await tick();
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.deepEqual(load(queue), { running: 2, waiting: 0 });
  });

  it('a release called twice frees one turn only', async () => {
    const queue = new PQueue({ concurrency: 1 });
    const first = await takeTurn(queue);
    let second: (() => void) | undefined;
    let third: (() => void) | undefined;
    void takeTurn(queue).then((r) => (second = r));
    void takeTurn(queue).then((r) => (third = r));
    first();
    first();
    await tick();
    assert.ok(second);
    assert.equal(third, undefined);
    assert.deepEqual(load(queue), { running: 1, waiting: 1 });
  });
});
