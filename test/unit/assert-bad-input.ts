import assert from 'node:assert/strict';
import { BadInputError } from '../../harness/errors.js';

/** Asserts that `fn` throws a one-line BadInputError (exit 2) whose message matches `pattern`. */
export function assertBadInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BadInputError, `expected BadInputError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    assert.ok(!e.message.includes('\n'), `message is not one line: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}
