import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { evaluatePackage } from '../../../../harness/suite/checks/package.js';

const installed = 'install ok installed|1.22.1-9+deb12u1';

describe('suite/checks/package', () => {
  it('passes an installed package, at any version or a matching one', () => {
    assert.deepEqual(evaluatePackage(installed), []);
    assert.deepEqual(evaluatePackage(installed, '1.22.1'), []);
    assert.deepEqual(evaluatePackage(installed, /^1\.22\.\d+-9/), []);
  });

  it('fails a missing or removed package', () => {
    assert.deepEqual(evaluatePackage(undefined), ['not installed']);
    assert.deepEqual(evaluatePackage(''), ['not installed']);
    const [p, ...rest] = evaluatePackage('deinstall ok config-files|1.22.1-9');
    assert.match(p!, /not installed .*deinstall ok config-files/);
    assert.equal(rest.length, 0);
  });

  it('names both versions when the version differs', () => {
    const [p] = evaluatePackage(installed, '1.24');
    assert.match(p!, /1\.22\.1-9\+deb12u1.*1\.24/);
    assert.equal(evaluatePackage(installed, /^2\./).length, 1);
  });
});
