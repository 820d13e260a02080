import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { evaluatePort, listenersOn } from '../../../../harness/suite/checks/port.js';

/** `ss -Htlnp` on a web server, as root. */
const ss = [
  'LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:(("nginx",pid=51,fd=6),("nginx",pid=50,fd=6))',
  'LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=30,fd=3))',
  'LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=20,fd=14))',
  'LISTEN 0      511             [::]:80           [::]:*    users:(("nginx",pid=51,fd=7),("nginx",pid=50,fd=7))',
  'LISTEN 0      128          0.0.0.0:8080      0.0.0.0:*',
  '',
].join('\n');

describe('suite/checks/port', () => {
  it('lists each process listening on a port once, across IPv4 and IPv6', () => {
    assert.deepEqual(listenersOn(ss, 80), ['nginx']);
    assert.deepEqual(listenersOn(ss, 22), ['sshd']);
    assert.deepEqual(listenersOn(ss, 53), ['systemd-resolve']);
  });

  it('matches the whole port number, not a suffix or prefix', () => {
    assert.deepEqual(listenersOn(ss, 8), []);
    assert.deepEqual(listenersOn(ss, 0), []);
    assert.deepEqual(listenersOn(ss, 3), []);
  });

  it("shows '?' when ss could not name the process", () => assert.deepEqual(listenersOn(ss, 8080), ['?']));

  it('evaluatePort: passes the expected listener, names the wrong one, and fails a free port', () => {
    assert.deepEqual(evaluatePort(ss, 80, 'nginx'), []);
    assert.deepEqual(evaluatePort(ss, 22), []);
    const [wrong] = evaluatePort(ss, 80, 'apache2');
    assert.match(wrong!, /nginx.*apache2/);
    assert.equal(evaluatePort(ss, 443).length, 1);
    assert.equal(evaluatePort('', 80).length, 1);
  });
});
