import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { evaluateService } from '../../../../harness/suite/checks/service.js';

describe('suite/checks/service', () => {
  it('passes a running unit that starts at boot (enabled or static)', () => {
    assert.deepEqual(evaluateService('active', 'enabled'), []);
    assert.deepEqual(evaluateService('active', 'static'), []);
  });

  it('fails a stopped unit, naming its state', () => {
    const p = evaluateService('inactive', 'enabled');
    assert.equal(p.length, 1);
    assert.match(p[0]!, /inactive/);
  });

  it('fails a unit that will not start at boot, naming its state', () => {
    const p = evaluateService('active', 'disabled');
    assert.equal(p.length, 1);
    assert.match(p[0]!, /disabled at boot/);
  });

  it('reports both problems, and unknown for empty output', () => {
    assert.equal(evaluateService('failed', 'masked').length, 2);
    assert.ok(evaluateService('', '').every((p) => p.includes('unknown')));
  });
});
