import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'mocha';
import { LABEL, janitorVerdict, ownerLabels, processIsAlive, processStart, type Liveness } from '../../../harness/provider/labels.js';

const now = new Date('2030-01-01T12:00:00Z');
const inAnHour = '2030-01-01T13:00:00.000Z';

/** Labels of an object made on this host by pid 4242 (started at tick 777), not kept, not expired. */
const labels = (over: Record<string, string | undefined> = {}): Record<string, string> => {
  const all: Record<string, string | undefined> = {
    [LABEL.run]: 'r-abc', [LABEL.expires]: inAnHour, [LABEL.keep]: 'false',
    [LABEL.host]: os.hostname(), [LABEL.pid]: '4242', [LABEL.pidStart]: '777', ...over,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
};
const alive: Liveness = (pid, start) => pid === 4242 && start === '777';
const dead: Liveness = () => false;

describe('provider/labels', () => {
  describe('janitorVerdict', () => {
    it('removes an expired object, even if its process lives or it is kept', () => {
      assert.equal(janitorVerdict(labels({ [LABEL.expires]: '2030-01-01T11:59:59Z' }), now, alive).remove, true);
      assert.equal(janitorVerdict(labels({ [LABEL.expires]: now.toISOString(), [LABEL.keep]: 'true' }), now, alive).remove, true);
    });

    it('keeps a kept object that has not expired, though its process is gone', () => {
      const v = janitorVerdict(labels({ [LABEL.keep]: 'true' }), now, dead);
      assert.equal(v.remove, false);
      assert.match(v.reason, /kept until/);
    });

    it('keeps an object whose process is live, asking about its pid and start', () => {
      const asked: [number, string][] = [];
      const v = janitorVerdict(labels(), now, (pid, start) => (asked.push([pid, start]), alive(pid, start)));
      assert.equal(v.remove, false);
      assert.deepEqual(asked, [[4242, '777']]);
    });

    it('removes an object whose process is gone, or whose pid was reused', () => {
      assert.equal(janitorVerdict(labels(), now, dead).remove, true);
      assert.equal(janitorVerdict(labels({ [LABEL.pidStart]: '778' }), now, alive).remove, true);
    });

    it('leaves an object made on another host until it expires', () => {
      const v = janitorVerdict(labels({ [LABEL.host]: 'elsewhere.example' }), now, dead);
      assert.equal(v.remove, false);
      assert.match(v.reason, /elsewhere\.example/);
    });

    it('removes objects with missing or invalid expiry or pid labels', () => {
      for (const bad of [{ [LABEL.expires]: undefined }, { [LABEL.expires]: 'soon' }, { [LABEL.pid]: undefined }, { [LABEL.pid]: 'abc' }, { [LABEL.pid]: '0' }]) {
        assert.equal(janitorVerdict(labels(bad), now, alive).remove, true, JSON.stringify(bad));
      }
    });
  });

  describe('ownerLabels', () => {
    const owner = { run: 'r-1', env: 'e-1', worker: 3, topology: 'platform', keep: false, expires: new Date(now.getTime() + 3_600_000) };

    it('sets every label except server and role', () => {
      const want = Object.values(LABEL).filter((k) => k !== LABEL.server && k !== LABEL.role).sort();
      assert.deepEqual(Object.keys(ownerLabels(owner)).sort(), want);
      assert.equal(ownerLabels(owner)[LABEL.worker], '3');
    });

    it('marks objects that the janitor judges live while this process runs', () => {
      const v = janitorVerdict(ownerLabels(owner), now);
      assert.equal(v.remove, false, v.reason);
    });
  });

  describe('process liveness', () => {
    it('knows this process by pid and start time', () => {
      const start = processStart(process.pid);
      assert.ok(start !== undefined && /^\d+$/.test(start), `start: ${start}`);
      assert.equal(processIsAlive(process.pid, start), true);
      assert.equal(processIsAlive(process.pid, String(Number(start) + 1)), false);
      assert.equal(processIsAlive(process.pid, ''), false);
    });

    it('has no start time for a pid that does not exist', () => assert.equal(processStart(2 ** 30), undefined));
  });
});
