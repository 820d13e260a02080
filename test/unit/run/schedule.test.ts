import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { launchBoundMs, lowerBoundMs, orderUnits, simulateMakespan, workerLoads } from '../../../harness/run/schedule.js';

const u = (name: string, expectedMs?: number) => ({ name, expectedMs });

describe('run/schedule', () => {
  it('orders unknown units first, then the longest known first, ties in the given order', () => {
    const order = orderUnits([u('a', 10), u('b'), u('c', 30), u('d', 10), u('e')], 'longest').map((x) => x.name);
    assert.deepEqual(order, ['b', 'e', 'c', 'a', 'd']);
  });

  it('keeps the given order when asked', () => {
    assert.deepEqual(orderUnits([u('a', 1), u('b', 9)], 'given').map((x) => x.name), ['a', 'b']);
  });

  it('bounds the makespan by the longest unit or the average load, whichever is larger', () => {
    assert.equal(lowerBoundMs([80, 10, 10], 2), 80);
    assert.equal(lowerBoundMs([30, 30, 30, 30], 2), 60);
    assert.equal(lowerBoundMs([], 3), 0);
  });

  it('longest-first beats first-come order on a skewed set, and meets the bound there', () => {
    const skewed = [3, 3, 3, 3, 3, 3, 3, 3, 24];
    const fifo = simulateMakespan(skewed, 2);
    const lpt = simulateMakespan(orderUnits(skewed.map((d, i) => u(String(i), d)), 'longest').map((x) => x.expectedMs!), 2);
    assert.equal(fifo, 36);
    assert.equal(lpt, 24);
    assert.equal(lpt, lowerBoundMs(skewed, 2));
  });

  it('the bound with one launch is, over workers, the latest first environment ready plus the units that worker ran', () => {
    const timeline = [
      { worker: 1, kind: 'launch', ok: false, endMs: 2000 },
      { worker: 1, kind: 'launch', ok: true, endMs: 9000 },
      { worker: 1, kind: 'launch', ok: true, endMs: 40_000 },
      { worker: 2, kind: 'launch', ok: true, endMs: 7000 },
      { worker: 2, kind: 'launch', ok: true, endMs: 5000, background: true },
    ];
    const attempts = [
      { worker: 1, durationMs: 30_000 },
      { worker: 2, durationMs: 20_000 },
      { worker: 2, durationMs: 25_000 },
    ];
    assert.deepEqual(workerLoads(timeline, attempts), [{ readyMs: 9000, workMs: 30_000 }, { readyMs: 7000, workMs: 45_000 }]);
    assert.equal(launchBoundMs(workerLoads(timeline, attempts)), 52_000);
    assert.equal(launchBoundMs([]), 0);
  });
});
