import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  BadInputError, CommandFailedError, InfrastructureError, InterruptedError, TestFailureError, TransportError, exitCodeOf,
} from '../../harness/errors.js';

describe('errors', () => {
  it('maps each error class to its exit code', () => {
    assert.equal(exitCodeOf(new BadInputError('x')), 2);
    assert.equal(exitCodeOf(new InfrastructureError('x')), 3);
    assert.equal(exitCodeOf(new TransportError('timeout', 'web-1', 'x')), 3);
    assert.equal(exitCodeOf(new TestFailureError('x')), 1);
    assert.equal(exitCodeOf(new InterruptedError('x')), 130);
    assert.equal(exitCodeOf(new CommandFailedError('web-1', 'false', 1, '')), 1);
  });

  it('treats anything else thrown as an infrastructure error', () => {
    assert.equal(exitCodeOf(new Error('boom')), 3);
    assert.equal(exitCodeOf(new TypeError('boom')), 3);
    assert.equal(exitCodeOf('boom'), 3);
    assert.equal(exitCodeOf(undefined), 3);
  });

  it('names errors after their class and keeps the cause', () => {
    const cause = new Error('ECONNRESET');
    const e = new TransportError('connection-lost', 'db-1', 'db-1: lost', { cause });
    assert.equal(e.name, 'TransportError');
    assert.ok(e instanceof InfrastructureError);
    assert.equal(e.cause, cause);
  });

  it('CommandFailedError: names server, command, code and the last 3 stderr lines', () => {
    const e = new CommandFailedError('web-1', 'apt-get install x', 100, 'l1\nl2\nl3\nE: Unable to locate package x\n');
    assert.equal(e.message, 'web-1: `apt-get install x` exited 100: l2 | l3 | E: Unable to locate package x');
    assert.match(new CommandFailedError('web-1', 'sleep 9', null, '').message, /exited by signal/);
  });
});
