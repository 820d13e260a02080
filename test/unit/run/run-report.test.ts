import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { boundsLine } from '../../../harness/run/run-report.js';
import { runReport } from '../report/fixture.js';

describe('run/run-report', () => {
  it('the summary line gives makespan against both bounds, each with its ratio', () => {
    assert.equal(boundsLine({ ...runReport(), workers: 2 }), 'makespan 250.0 s, lower bound 200.0 s (1.25×), with one launch 220.0 s (1.14×) (2 workers)');
  });

  it('leaves a ratio out when its bound is zero', () => {
    assert.equal(boundsLine({ ...runReport(), workers: 1, lowerBoundMs: 0, launchBoundMs: 0 }), 'makespan 250.0 s, lower bound 0.0 s, with one launch 0.0 s (1 worker)');
  });
});
