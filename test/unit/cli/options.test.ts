import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { describe, it } from 'mocha';
import { collect, parseDuration } from '../../../harness/cli/options.js';

describe('cli/options', () => {
  it('parseDuration: seconds, minutes, hours and days in milliseconds', () => {
    assert.equal(parseDuration('90s'), 90 * 1000);
    assert.equal(parseDuration('30m'), 30 * 60 * 1000);
    assert.equal(parseDuration('2h'), 2 * 60 * 60 * 1000);
    assert.equal(parseDuration('1d'), 24 * 60 * 60 * 1000);
  });

  it('parseDuration: rejects anything else, quoting it', () => {
    for (const bad of ['2 hours', '', '1.5h', '10', 'h', '-1h', '2w']) {
      assert.throws(() => parseDuration(bad), (e: unknown) => e instanceof InvalidArgumentError && e.message.includes(`'${bad}'`), bad);
    }
  });

  it('collect: accumulates comma-separated values across repeated flags', () =>
    assert.deepEqual(collect('cron-ignored, syslog-error', collect('config-file-mode')), ['config-file-mode', 'cron-ignored', 'syslog-error']));
});
