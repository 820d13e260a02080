import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { nothingLabelled } from './cli.js';
import { failuresByPhase, suiteRun } from './runs.js';

describe('engine: the clean platform passes every suite', function () {
  this.timeout(1_200_000);

  it('run --suite all: every phase passes, reported per phase, nothing left behind', async () => {
    const { code, summary, junit } = await suiteRun('all');
    assert.deepEqual(failuresByPhase(summary), {});
    assert.equal(code, 0, summary.error);
    const phases = summary.suites.map((s) => s.phase);
    for (const p of ['build', 'functional', 'application', 'reboot: action', 'functional after reboot', 'build after relaunch', 'upgrade: action', 'application after upgrade', 'upgrade: after']) {
      assert.ok(phases.includes(p), `no phase '${p}' in ${phases.join(', ')}`);
    }
    assert.match(junit, /<testsuite name="functional after reboot" tests="\d+" failures="0"/);
    assert.equal(nothingLabelled(), undefined);
  });
});
