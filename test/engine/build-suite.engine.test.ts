import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { nothingLabelled } from './cli.js';
import { buildRun, failures } from './runs.js';

describe('engine: the build suite on the clean platform', function () {
  this.timeout(180_000);

  it('passes, writes JUnit and JSON, and leaves nothing behind', async () => {
    const { code, summary, junit } = await buildRun();
    assert.deepEqual(failures(summary), []);
    assert.equal(code, 0);
    assert.equal(summary.outcome, 'passed');
    assert.ok(summary.passed >= 30, `only ${summary.passed} tests passed`);
    assert.match(junit, new RegExp(`<testsuites name="shakedown ${summary.run}" tests="${summary.passed}" failures="0" errors="0"`));
    assert.deepEqual(summary.units.map((u) => u.unit).sort(), ['build/end-to-end', 'build/health', 'build/servers']);
    for (const report of [JSON.stringify(summary), junit]) assert.doesNotMatch(report, /PRIVATE KEY/);
    assert.equal(nothingLabelled(`shakedown.run=${summary.run}`), undefined);
  });
});
