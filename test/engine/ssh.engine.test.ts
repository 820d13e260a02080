import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { connectServers } from '../../harness/environment/connect.js';
import type { RunningEnvironment } from '../../harness/environment/environment.js';
import { launchEnvironment } from '../../harness/environment/launch.js';
import { TransportError } from '../../harness/errors.js';
import { catalog } from '../../harness/images/catalog.js';
import { DockerProvider } from '../../harness/provider/docker/docker-provider.js';
import { fingerprint, generateRunKey, parseHostKey } from '../../harness/ssh/keys.js';
import { loadTopology } from '../../harness/topology/load.js';
import { root } from './cli.js';

describe('engine: SSH through the bastion', function () {
  this.timeout(90_000);
  let env: RunningEnvironment;

  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'small.yml'), catalog());
    env = await launchEnvironment({ topology, provider: new DockerProvider(), run: 'rtest-ssh', worker: 0, keep: false, ttlMs: 600_000 });
  });
  after(() => env?.destroy());

  it('runs commands as testadmin and as root, with stdout, stderr and exit code', async () => {
    const web = env.server('web-1');
    assert.deepEqual(await web.sh('id -un; echo oops >&2; exit 3').then(({ stdout, stderr, code }) => ({ stdout, stderr, code })), {
      stdout: 'testadmin\n', stderr: 'oops\n', code: 3,
    });
    assert.equal((await web.sudo(`id -un; echo "it's quoted"`)).stdout, "root\nit's quoted\n");
  });

  it('puts and gets files with owner and mode', async () => {
    const web = env.server('web-1');
    await web.put('/etc/shakedown-probe', 'hello\n', { mode: '0640', owner: 'root:www-data' });
    assert.equal(await web.get('/etc/shakedown-probe'), 'hello\n');
    assert.deepEqual(await web.file('/etc/shakedown-probe'), { path: '/etc/shakedown-probe', owner: 'root', group: 'www-data', mode: '640', type: 'regular file', size: 6 });
    assert.equal(await web.file('/etc/nonexistent'), undefined);
  });

  it('times out a command and keeps the connection usable', async () => {
    const web = env.server('web-1');
    await assert.rejects(web.sh('sleep 5', { timeoutMs: 300 }), (e: TransportError) => e.kind === 'timeout' && /web-1/.test(e.message));
    assert.equal((await web.sh('echo still here')).stdout, 'still here\n');
  });

  it('refuses a key the servers do not know: authentication failure', async () => {
    await assert.rejects(connectServers(env.record, generateRunKey('stranger'), {}), (e: TransportError) => {
      assert.equal(e.kind, 'authentication');
      assert.match(e.message, /^bastion: SSH authentication/);
      return true;
    });
  });

  it('refuses a server whose host key differs from the pinned one, naming both fingerprints', async () => {
    const impostor = parseHostKey(generateRunKey('impostor').publicKey);
    const real = env.record.servers.find((s) => s.name === 'web-1')!.hostKey;
    const tampered = { ...env.record, servers: env.record.servers.map((s) => (s.name === 'web-1' ? { ...s, hostKey: impostor } : s)) };
    await assert.rejects(connectServers(tampered, env.key, {}), (e: TransportError) => {
      assert.equal(e.kind, 'host-key-mismatch');
      assert.ok(e.message.startsWith('web-1: host key mismatch'), e.message);
      assert.ok(e.message.includes(fingerprint(impostor)) && e.message.includes(fingerprint(real)), e.message);
      return true;
    });
  });

  it('gives every server its own host key', () => {
    const keys = env.record.servers.map((s) => s.hostKey.base64);
    assert.equal(new Set(keys).size, keys.length);
  });
});
