import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { needingSpares, needsAnother, nextFor } from '../../../harness/run/lookahead.js';

const u = (topology: string, expectedMs?: number, fresh?: boolean, breaks?: boolean) => ({ topology, expectedMs, fresh, breaks });

describe('run/lookahead: the unit a worker runs next', () => {
  it('one worker runs the first unit still to be handed out', () => {
    const next = u('ha', 1000);
    assert.deepEqual(nextFor('w1', new Map([['w1', 500]]), [next, u('small', 100)]), [next]);
  });

  it('units go in order to whichever worker is expected free first', () => {
    const free = new Map([['w1', 10_000], ['w2', 2000]]);
    const pending = [u('small', 5000), u('small', 4000), u('ha', 100)];
    // w2 takes the first (free at 2 s, busy to 7 s) and the second (to 11 s); w1, free at 10 s, the third.
    assert.deepEqual(nextFor('w1', free, pending), [pending[2]]);
    assert.deepEqual(nextFor('w2', free, pending), [pending[0]]);
    assert.deepEqual(nextFor('w2', free, pending, 2), [pending[0], pending[1]]);
    assert.deepEqual(nextFor('w1', free, pending, 2), [pending[2]]);
  });

  it('makes no guess past a unit of unknown duration, nor for a worker that gets nothing', () => {
    assert.deepEqual(nextFor('w1', new Map([['w1', 9000], ['w2', 0]]), [u('small'), u('ha', 100)]), []);
    assert.deepEqual(nextFor('w1', new Map([['w1', 9000], ['w2', 0]]), [u('small', 100)]), []);
    assert.deepEqual(nextFor('w3', new Map([['w1', 0]]), [u('small', 100)]), []);
    const unknown = u('small');
    assert.deepEqual(nextFor('w1', new Map([['w1', 0]]), [unknown, u('ha', 100)], 2), [unknown]);
  });

  it('another environment is needed for another topology, for an untouched one, or after a breaking unit', () => {
    assert.equal(needsAnother('small', u('small')), false);
    assert.equal(needsAnother('small', u('ha')), true);
    assert.equal(needsAnother('small', u('small', 1, true)), true);
    assert.equal(needsAnother(undefined, u('small')), true);
  });

  it('a spare is wanted for the next unit when the environment held does not fit it, and for the one after a breaking unit', () => {
    const [failover, after] = [u('ha', 5000, false, true), u('small', 100)];
    assert.deepEqual(needingSpares('small', [failover, after]), [failover, after]);
    assert.deepEqual(needingSpares('ha', [failover, after]), [after]);
    assert.deepEqual(needingSpares('small', [after, failover]), []);
    assert.deepEqual(needingSpares(undefined, [after, failover]), [after]);
    assert.deepEqual(needingSpares('small', [failover]), [failover]);
    assert.deepEqual(needingSpares('small', []), []);
  });
});
