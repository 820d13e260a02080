import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { availableSuites, resolveSuites } from '../../../harness/suite/discover.js';
import { assertBadInput } from '../assert-bad-input.js';

// Suites are read from dist/suites/, which may hold only `build`, or nothing in a partial build.
const known = availableSuites();

describe('suite/discover', () => {
  it('rejects an unknown suite, naming it', () => assertBadInput(() => resolveSuites('no-such-suite'), /unknown suite 'no-such-suite'/));

  it('rejects an unknown suite listed after known ones', () =>
    assertBadInput(() => resolveSuites([...known, 'no-such-suite'].join(',')), /unknown suite 'no-such-suite'/));

  it('rejects an empty list', () => assertBadInput(() => resolveSuites(' , '), /--suite is empty/));

  it('accepts the known suites, trimming spaces', function () {
    if (!known.length) this.skip();
    assert.deepEqual(resolveSuites(known.join(' , ')), known);
    assert.deepEqual([...resolveSuites('all')].sort(), [...known].sort());
  });

  it("'all' runs build first and upgrade last", function () {
    if (!known.includes('build') || !known.includes('upgrade')) this.skip();
    const all = resolveSuites('all');
    assert.equal(all[0], 'build');
    assert.equal(all.at(-1), 'upgrade');
  });
});
