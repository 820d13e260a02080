import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { breakingGaps } from '../../../bench/workers.js';
import type { RunReport, TimelineEvent } from '../../../harness/run/results.js';

const bar = (kind: TimelineEvent['kind'], label: string, env: string, startMs: number, endMs: number, background = false): TimelineEvent => ({ worker: 1, kind, label, env, startMs, endMs, ok: true, background });

/** One worker: `failover` on e1 breaks it; `after` runs on e2, launched as given. */
function report(e2Launch: TimelineEvent): RunReport {
  const attempt = (env: string, broke?: string) => ({ env, worker: 1, broke });
  const units = [
    { unit: 'failover', attempts: [attempt('e1', 'on purpose')] },
    { unit: 'after', attempts: [attempt('e2')] },
  ];
  const timeline = [bar('launch', 'launch platform-ha', 'e1', 0, 5000), bar('unit', 'failover', 'e1', 5000, 10_000), e2Launch, bar('unit', 'after', 'e2', 10_003, 10_500)];
  return { units, timeline } as unknown as RunReport;
}

describe('bench/workers: the gap after a breaking unit, and whether a spare served it', () => {
  it('a spare launched before the breaking unit started still counts as its successor\'s spare', () => {
    assert.deepEqual(breakingGaps(report(bar('launch', 'spare platform', 'e2', 1000, 8000, true))), [{ unit: 'failover', gapMs: 3, spare: true, spareLateMs: 0 }]);
  });

  it('a spare that landed after the breaking unit ended says by how much: the gap is its launch', () => {
    assert.deepEqual(breakingGaps(report(bar('launch', 'spare platform', 'e2', 6000, 10_001, true))), [{ unit: 'failover', gapMs: 3, spare: true, spareLateMs: 1 }]);
  });

  it('a launch on the worker\'s path is no spare, whenever it ran', () => {
    assert.deepEqual(breakingGaps(report(bar('launch', 'launch platform', 'e2', 6000, 10_002))), [{ unit: 'failover', gapMs: 3, spare: false }]);
  });
});
