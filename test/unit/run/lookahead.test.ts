import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { needingSpares, needsAnother, nextFor } from '../../../harness/run/lookahead.js';

const u = (topology: string, expectedMs?: number, fresh?: boolean, breaks?: boolean) => ({ topology, expectedMs, fresh, breaks });

describe('run/lookahead: the unit a worker runs next', () => {
  const units = <U>(ahead: { unit: U }[]) => ahead.map((a) => a.unit);

  it('one worker runs the first unit still to be handed out, when it is free', () => {
    const next = u('ha', 1000);
    assert.deepEqual(nextFor('w1', new Map([['w1', 500]]), [next, u('small', 100)], 0), [{ unit: next, inMs: 500 }]);
    assert.deepEqual(nextFor('w1', new Map([['w1', 500]]), [next, u('small', 100)], 900), [{ unit: next, inMs: 0 }]);
  });

  it('units go in order to whichever worker is expected free first, each with its expected start', () => {
    const free = new Map([['w1', 10_000], ['w2', 2000]]);
    const pending = [u('small', 5000), u('small', 4000), u('ha', 100)];
    // w2 takes the first (free at 2 s, busy to 7 s) and the second (to 11 s); w1, free at 10 s, the third.
    assert.deepEqual(units(nextFor('w1', free, pending, 0)), [pending[2]]);
    assert.deepEqual(units(nextFor('w2', free, pending, 0)), [pending[0]]);
    assert.deepEqual(nextFor('w2', free, pending, 1000, 2), [{ unit: pending[0], inMs: 1000 }, { unit: pending[1], inMs: 6000 }]);
    assert.deepEqual(nextFor('w1', free, pending, 1000, 2), [{ unit: pending[2], inMs: 9000 }]);
  });

  it('makes no guess past a unit of unknown duration, nor for a worker that gets nothing', () => {
    assert.deepEqual(nextFor('w1', new Map([['w1', 9000], ['w2', 0]]), [u('small'), u('ha', 100)], 0), []);
    assert.deepEqual(nextFor('w1', new Map([['w1', 9000], ['w2', 0]]), [u('small', 100)], 0), []);
    assert.deepEqual(nextFor('w3', new Map([['w1', 0]]), [u('small', 100)], 0), []);
    const unknown = u('small');
    assert.deepEqual(units(nextFor('w1', new Map([['w1', 0]]), [unknown, u('ha', 100)], 0, 2)), [unknown]);
  });

  it('another environment is needed for another topology, for an untouched one, or after a breaking unit', () => {
    assert.equal(needsAnother('small', u('small')), false);
    assert.equal(needsAnother('small', u('ha')), true);
    assert.equal(needsAnother('small', u('small', 1, true)), true);
    assert.equal(needsAnother(undefined, u('small')), true);
  });

  const launch = (ms?: number) => () => ms;

  it("the next unit's environment launches now whenever the worker will not hold a fit one, however far off it is", () => {
    const next = u('ha', 100);
    assert.deepEqual(needingSpares('small', [{ unit: next, inMs: 60_000 }], launch(8000)), [next]);
    assert.deepEqual(needingSpares('ha', [{ unit: next, inMs: 0 }], launch(8000)), []);
    assert.deepEqual(needingSpares(undefined, [{ unit: next, inMs: 60_000 }], launch(8000)), [next]);
    assert.deepEqual(needingSpares('small', [], launch(8000)), []);
  });

  it('a later unit\'s environment launches now when waiting for the next unit\'s start would land it late', () => {
    // Three short units on one environment, then a breaking unit of another topology, then one more.
    const [b, c, failover, after] = [u('small', 3500), u('small', 4200), u('ha', 5000, false, true), u('small', 100)];
    const ahead = [{ unit: b, inMs: 17_000 }, { unit: c, inMs: 20_500 }, { unit: failover, inMs: 24_700 }, { unit: after, inMs: 29_700 }];
    // Decided again at b's start (17 s): too late for failover's launch (9 s: it must start by 15.7 s), and for after's, which follows it.
    assert.deepEqual(needingSpares('small', ahead, launch(9000)), [failover, after]);
    // With 6 s launches both can wait for b's start (29.7 - 12 > 17).
    assert.deepEqual(needingSpares('small', ahead, launch(6000)), []);
    // At c's start: both now (24.7 - 9 < 20.5 already for failover).
    assert.deepEqual(needingSpares('small', ahead.slice(1), launch(9000)), [failover, after]);
    // Unknown launch times cannot be waited for.
    assert.deepEqual(needingSpares('small', ahead, launch(undefined)), [failover, after]);
    // A launch that could wait on its own starts now when the one queued after it could not.
    const [x, breaker, next] = [u('small', 10_000), u('ha', 500, false, true), u('small', 100)];
    const chain = [{ unit: x, inMs: 10_000 }, { unit: breaker, inMs: 20_000 }, { unit: next, inMs: 20_500 }];
    assert.deepEqual(needingSpares('small', chain, launch(6000)), [breaker, next]);
    assert.deepEqual(needingSpares('small', chain.slice(0, 2), launch(6000)), []);
    // A worker that holds the breaking unit's topology needs only the environment after it.
    const held = [{ unit: failover, inMs: 1000 }, { unit: after, inMs: 6000 }];
    assert.deepEqual(needingSpares('ha', held, launch(9000)), [after]);
    assert.deepEqual(needingSpares('small', [{ unit: after, inMs: 1000 }, { unit: failover, inMs: 1100 }], launch(9000)), [failover]);
  });
});
