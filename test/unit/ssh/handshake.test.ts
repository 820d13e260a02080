import assert from 'node:assert/strict';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'mocha';
import { TransportError } from '../../../harness/errors.js';
import { SshConnection } from '../../../harness/ssh/connection.js';
import { generateRunKey } from '../../../harness/ssh/keys.js';

/** Opens web-1 at host:port (through `via`, if given), retried as booting for 1.5 s within 5 s: it must fail as closed during the handshake. Returns how long it took. */
async function failedOpen(host: string, port: number, via?: SshConnection): Promise<number> {
  const key = generateRunKey('test');
  const started = Date.now();
  const endpoint = { server: 'web-1', host, port, hostKey: { type: 'ssh-ed25519', base64: 'AAAA' } };
  const err = await SshConnection.open(endpoint, { user: 'testadmin', privateKey: key.privateKey }, {
    via,
    deadline: started + 5000,
    retryUntil: started + 1500,
    ctx: {},
  }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof TransportError, String(err));
  assert.match(err.message, /^web-1: SSH unreachable: Connection closed during the SSH handshake; .*\(gave up after \d+ attempts\)$/);
  return Date.now() - started;
}

/**
 * A server that sends sshd's banner and then hangs up during the key exchange, as sshd does while a
 * relaunched server restarts it. ssh2 then emits only 'close': an attempt that waited for 'ready'
 * or 'error' never settled, and a platform nightly hung on it for 12 minutes.
 */
describe('ssh/connection: a server that closes during the handshake', () => {
  let server: net.Server;
  let port = 0;
  let accepted = 0;

  before(async () => {
    server = net.createServer((sock) => {
      accepted++;
      sock.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
      sock.once('data', () => setTimeout(() => sock.destroy(), 20));
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => server.close());

  it('is retried as still booting and then fails with a TransportError, instead of hanging', async function () {
    this.timeout(8000);
    const ms = await failedOpen('127.0.0.1', port);
    assert.ok(accepted > 1, `retried: ${accepted} connections`);
    assert.ok(ms < 5000, 'gave up at retryUntil, not at the deadline');
  });
});

/**
 * Through the bastion the socket is a forwarded channel. A server refusing the login while it boots
 * (PAM: /run/nologin) hangs up; the channel then ended without closing, ssh2 emitted only 'end'
 * (stopping its ready timer), and a race test's run hung on it for 10 minutes.
 */
describe('ssh/connection: a forwarded channel that ends during the handshake without closing', () => {
  let opened = 0;
  /** A channel that sends sshd's banner, then ends its side after the client's first bytes; never emits 'close'. */
  const channel = (): Duplex => {
    opened++;
    let ended = false;
    const d = new Duplex({
      allowHalfOpen: true,
      emitClose: false,
      read() {},
      write(_chunk, _enc, done) {
        if (!ended) (ended = true), setTimeout(() => d.push(null), 20);
        done();
      },
    });
    d.push('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    return d;
  };

  it('is retried as still booting and then fails with a TransportError, instead of hanging', async function () {
    this.timeout(8000);
    await failedOpen('web-1', 22, { forward: async () => channel() } as unknown as SshConnection);
    assert.ok(opened > 1, `retried: ${opened} channels`);
  });
});
