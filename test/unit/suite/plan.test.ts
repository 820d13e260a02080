import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { planUnit, planUnits } from '../../../harness/suite/plan.js';

describe('suite/plan', () => {
  it('a plain suite is one step named after it', () => {
    const unit = planUnit('build');
    assert.deepEqual(unit.steps.map((s) => [s.kind, s.phase]), [['specs', 'build']]);
    assert.ok(unit.steps[0]!.kind === 'specs' && unit.steps[0]!.files.every((f) => f.endsWith('.spec.ts')));
  });

  it('a lifecycle suite expands into before, action, the re-run suites and after, each its own phase', () => {
    const unit = planUnit('reboot');
    assert.deepEqual(unit.steps.map((s) => s.phase), [
      'reboot: before',
      'reboot: action',
      'build after reboot',
      'functional after reboot',
      'application after reboot',
      'reboot: after',
    ]);
    const action = unit.steps[1]!;
    assert.ok(action.kind === 'action' && action.action === 'reboot');
    const before = unit.steps[0]!;
    assert.ok(before.kind === 'specs' && before.files.every((f) => f.endsWith('.before.spec.ts')));
  });

  it('splits a plain suite into one unit per spec file, and keeps a lifecycle suite whole', () => {
    const functional = planUnits('functional');
    assert.deepEqual(functional.map((u) => u.name), ['functional/backup-restore', 'functional/component-faults', 'functional/load-balancing', 'functional/self-healing']);
    assert.ok(functional.every((u) => u.steps.length === 1 && u.steps[0]!.kind === 'specs' && u.steps[0]!.files.length === 1));
    assert.deepEqual(planUnits('reboot').map((u) => [u.name, u.steps.length]), [['reboot', planUnit('reboot').steps.length]]);
  });

  it('carries what a suite declares it breaks', () => {
    assert.match(planUnit('failover').breaks ?? '', /replica promoted/);
    assert.equal(planUnit('reboot').breaks, undefined);
  });
});
