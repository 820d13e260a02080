import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { TransportError } from '../../../harness/errors.js';
import { bootingReason, classifySshError } from '../../../harness/ssh/classify.js';

/** An error shaped like those ssh2 and net emit. */
const sshErr = (message: string, extra: { code?: string; level?: string; reason?: number } = {}) => Object.assign(new Error(message), extra);

const cases = [
  { what: 'ECONNREFUSED', err: sshErr('connect ECONNREFUSED 172.18.0.3:22', { code: 'ECONNREFUSED' }), booting: true, kind: 'unreachable' },
  { what: 'ECONNRESET', err: sshErr('read ECONNRESET', { code: 'ECONNRESET' }), booting: true, kind: 'unreachable' },
  { what: 'lost before handshake', err: sshErr('Connection lost before handshake'), booting: true, kind: 'unreachable' },
  { what: 'closed during handshake', err: sshErr('Connection closed during the SSH handshake'), booting: true, kind: 'unreachable' },
  { what: 'channel open failure, reason 2', err: sshErr('(SSH) Channel open failure: open failed', { reason: 2 }), booting: true, kind: 'unreachable' },
  { what: 'channel open failure, reason 1', err: sshErr('(SSH) Channel open failure: administratively prohibited', { reason: 1 }), booting: false, kind: 'connection-lost' },
  { what: 'authentication', err: sshErr('All configured authentication methods failed', { level: 'client-authentication' }), booting: false, kind: 'authentication' },
  { what: 'timeout', err: sshErr('Timed out while waiting for handshake', { level: 'client-timeout' }), booting: false, kind: 'timeout' },
] as const;

describe('ssh/classify', () => {
  for (const c of cases) {
    it(`${c.what}: ${c.booting ? 'retried' : 'not retried'}, kind ${c.kind}`, () => {
      assert.equal(bootingReason(c.err) !== undefined, c.booting);
      const t = classifySshError('web-2', c.err);
      assert.ok(t instanceof TransportError);
      assert.equal(t.kind, c.kind);
      assert.equal(t.server, 'web-2');
      assert.equal(t.exitCode, 3);
      assert.equal(t.cause, c.err);
      assert.ok(t.message.startsWith(`web-2: SSH ${c.kind}: ${c.err.message}`), t.message);
    });
  }

  it('passes a TransportError through unchanged', () => {
    const t = new TransportError('host-key-mismatch', 'db-1', 'db-1: host key changed');
    assert.equal(classifySshError('web-1', t), t);
  });

  it('classifies a thrown string', () => assert.match(classifySshError('lb-1', 'socket hang up').message, /^lb-1: SSH connection-lost: socket hang up/));

  it('classifies undefined (a bare reject()) rather than crashing', () => {
    assert.equal(bootingReason(undefined), undefined);
    assert.match(classifySshError('lb-1', undefined).message, /^lb-1: SSH connection-lost/);
  });
});
