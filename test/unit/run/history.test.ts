import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';
import { expectedLaunchMs, expectedMs, historyKey, loadHistory, recordDurations, recordLaunches, saveHistory } from '../../../harness/run/history.js';
import { LaunchTimes } from '../../../harness/run/launch-times.js';
import { isolatedTmpdir } from '../isolated-tmpdir.js';

const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'shakedown-history-')), 'durations.json');

describe('run/history', () => {
  isolatedTmpdir();

  it('a missing or corrupt file is an empty history', () => {
    const file = tmp();
    assert.deepEqual(loadHistory(file).units, {});
    writeFileSync(file, '{not json');
    assert.deepEqual(loadHistory(file).units, {});
  });

  it('expects the median of the last five durations, so one slow run does not reorder the next', () => {
    const key = historyKey('platform', 'reboot');
    let h = loadHistory(tmp());
    for (const ms of [100, 110, 90, 5000, 105, 95]) h = recordDurations(h, [{ key, ms }]);
    assert.deepEqual(h.units[key]!.ms, [110, 90, 5000, 105, 95]);
    assert.equal(expectedMs(h, key), 105);
    assert.equal(expectedMs(h, historyKey('platform', 'never-run')), undefined);
  });

  it('survives a round trip through the file', () => {
    const file = tmp();
    saveHistory(recordDurations(loadHistory(file), [{ key: 'k', ms: 12.6 }]), file);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).units.k.ms, [13]);
    assert.equal(expectedMs(loadHistory(file), 'k'), 13);
  });

  it("keeps each topology's recent launch times beside the durations, and this run's launches override them", () => {
    const file = tmp();
    let h = recordDurations(loadHistory(file), [{ key: 'k', ms: 10 }]);
    h = recordLaunches(h, [{ topology: 'platform', ms: 7400 }, { topology: 'platform', ms: 7600 }, { topology: 'platform', ms: 9000 }]);
    h = recordDurations(h, [{ key: 'k', ms: 12 }]);
    saveHistory(h, file);
    const back = loadHistory(file);
    assert.equal(expectedLaunchMs(back, 'platform'), 7600);
    assert.equal(expectedLaunchMs(back, 'platform-ha'), undefined);
    assert.deepEqual(back.units.k!.ms, [10, 12]);
    const times = new LaunchTimes(back);
    assert.equal(times.expectedMs('platform'), 7600);
    times.record('platform', 3000);
    assert.equal(times.expectedMs('platform'), 3000);
    assert.deepEqual(times.all(), [{ topology: 'platform', ms: 3000 }]);
  });
});
