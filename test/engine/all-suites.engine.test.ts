import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { nothingLabelled } from './cli.js';
import { failuresByPhase, suiteRun } from './runs.js';

describe('engine: the clean platform passes every suite', function () {
  this.timeout(1_200_000);

  it('run --suite all --workers 2: every phase passes on both workers, reported per phase, nothing left behind', async () => {
    const { code, summary, junit } = await suiteRun('all', [], ['--workers', '2']);
    assert.deepEqual(failuresByPhase(summary), {});
    assert.equal(code, 0, summary.error);
    const phases = summary.suites.map((s) => s.phase);
    for (const p of ['build', 'functional', 'component-faults', 'application', 'reboot: action', 'functional after reboot', 'build after relaunch', 'upgrade: action', 'application after upgrade', 'upgrade: after']) {
      assert.ok(phases.includes(p), `no phase '${p}' in ${phases.join(', ')}`);
    }
    assert.match(junit, /<testsuite name="reboot › functional after reboot" tests="\d+" failures="0"/);
    assert.equal(summary.workers, 2);
    assert.deepEqual([...new Set(summary.units.map((u) => u.attempts[0]!.worker))].sort(), [1, 2], 'both workers ran units');
    assert.ok(summary.units.every((u) => u.outcome === 'passed'));
    const units = summary.units.map((u) => u.unit);
    for (const action of ['reboot', 'relaunch']) {
      for (const u of [action, `${action}/rolling`, `${action}@platform-ha`, `${action}/rolling@platform-ha`]) assert.ok(units.includes(u), `no unit ${u} in ${units.join(', ')}`);
    }
    assert.ok(summary.lowerBoundMs > 0 && summary.makespanMs >= summary.lowerBoundMs);
    assert.equal(nothingLabelled(`shakedown.run=${summary.run}`), undefined);
  });
});
