import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { CheckFailure, assertNone } from '../../../../harness/suite/checks/failure.js';

describe('suite/checks/failure', () => {
  it('assertNone passes when there are no problems', () => assertNone('web-1', 'service nginx', []));

  it('assertNone throws a CheckFailure naming the server, the check and every problem', () => {
    assert.throws(() => assertNone('web-1', 'service nginx', ['is inactive', 'is disabled']), (e: unknown) => {
      assert.ok(e instanceof CheckFailure);
      assert.equal(e.message, 'web-1: service nginx: is inactive; is disabled');
      return true;
    });
  });
});
