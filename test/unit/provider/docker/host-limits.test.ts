import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { checkInotifyRoom, inotifyInUse } from '../../../../harness/provider/docker/host-limits.js';

describe('provider/docker/host-limits', () => {
  it('lets servers through while they fit under the inotify limit', () => {
    assert.doesNotThrow(() => checkInotifyRoom(10, '--workers 2', 128, 40));
  });

  it('refuses, in one line, naming the need, the limit, the fix and how many fit', () => {
    assert.throws(
      () => checkInotifyRoom(24, '--workers 4', 128, 10),
      (e: Error & { exitCode?: number }) =>
        e.exitCode === 3 &&
        !e.message.includes('\n') &&
        /--workers 4 needs about 192 inotify instances for 24 servers \(10 in use, host limit 128\): raise it \(sysctl -w fs\.inotify\.max_user_instances=1024.*\(14 fit\)/.test(e.message),
    );
  });

  it('counts the instances open on this host', () => {
    assert.ok(Number.isInteger(inotifyInUse()) && inotifyInUse() >= 0);
  });
});
