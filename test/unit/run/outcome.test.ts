import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Attempt } from '../../../harness/run/results.js';
import { outcomeOf } from '../../../harness/run/unit-run.js';

const a = (outcome: Attempt['outcome']): Attempt => ({ attempt: 1, worker: 1, startedAt: '', durationMs: 1, outcome, phases: [] });

describe('run/outcome of a unit', () => {
  it('passed on the first attempt is passed; after a failed one it is flaky, never plain passed', () => {
    assert.equal(outcomeOf([a('passed')]), 'passed');
    assert.equal(outcomeOf([a('failed'), a('passed')]), 'flaky');
  });

  it('is failed when every attempt failed, and infra or interrupted when the last one was', () => {
    assert.equal(outcomeOf([a('failed'), a('failed')]), 'failed');
    assert.equal(outcomeOf([a('failed'), a('infra')]), 'infra');
    assert.equal(outcomeOf([a('interrupted')]), 'interrupted');
    assert.equal(outcomeOf([]), 'interrupted');
  });
});
