import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';
import { expectedMs, historyKey, loadHistory, recordDurations, saveHistory } from '../../../harness/run/history.js';
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
});
