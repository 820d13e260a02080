import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { reconnectServer } from '../../harness/environment/connect.js';
import type { RunningEnvironment } from '../../harness/environment/environment.js';
import { launchEnvironment } from '../../harness/environment/launch.js';
import { bootMarker, rebootServer, relaunchServer } from '../../harness/environment/lifecycle.js';
import { catalog } from '../../harness/images/catalog.js';
import { DockerProvider } from '../../harness/provider/docker/docker-provider.js';
import { loadTopology } from '../../harness/topology/load.js';
import { root } from './cli.js';

describe('engine: reboot and relaunch', function () {
  this.timeout(120_000);
  let env: RunningEnvironment;
  const hostKey = (name: string) => env.record.servers.find((s) => s.name === name)!.hostKey.base64;
  /** The server's own address on the environment's network, as it sees it. */
  const address = async (name: string) => (await env.server(name).must('hostname -I')).trim();
  /** The host key the server's sshd presents, read over the pinned connection. */
  const presentedKey = async (name: string) => (await env.server(name).must('cat /etc/ssh/ssh_host_ed25519_key.pub')).split(' ')[1];

  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'small.yml'), catalog());
    env = await launchEnvironment({ topology, provider: new DockerProvider(), run: 'rtest-life', worker: 0, keep: false, ttlMs: 600_000 });
  });
  after(() => env?.destroy());

  // First, so that an address is free below the others' when they reboot: an engine that hands out
  // the lowest free address would move a restarted server onto it.
  it('a relaunch keeps the volume, loses the root disk, and comes back at a new address with a new host key, learnt out of band and pinned', async () => {
    const web = () => env.server('web-1');
    const key = hostKey('web-1');
    const was = await address('web-1');
    await web().must('echo kept > /srv/data/probe && echo lost > /var/tmp/probe');
    await relaunchServer(env, 'web-1');
    assert.equal(await web().get('/srv/data/probe'), 'kept\n');
    assert.equal(await web().file('/var/tmp/probe'), undefined);
    assert.notEqual(await address('web-1'), was);
    assert.notEqual(hostKey('web-1'), key);
    assert.equal(await presentedKey('web-1'), hostKey('web-1'));
    const withOldKey = { ...env.record, servers: env.record.servers.map((s) => (s.name === 'web-1' ? { ...s, hostKey: { ...s.hostKey, base64: key } } : s)) };
    await assert.rejects(reconnectServer(withOldKey, 'web-1', env.key, env.bastion, env.ctx, 10_000, 0), /host key mismatch/);
  });

  it('a reboot from inside is a real boot: new marker, /run cleared; disk, address and host key kept', async () => {
    const web = () => env.server('web-1');
    const marker = await bootMarker(web());
    const key = hostKey('web-1');
    const was = await address('web-1');
    await web().must('touch /run/before-reboot /var/tmp/before-reboot');
    await rebootServer(env, 'web-1', 'guest');
    assert.notEqual(await bootMarker(web()), marker);
    assert.equal(await web().file('/run/before-reboot'), undefined);
    assert.ok(await web().file('/var/tmp/before-reboot'));
    assert.equal(hostKey('web-1'), key);
    assert.equal(await presentedKey('web-1'), key);
    assert.equal(await address('web-1'), was);
  });

  it('a reboot of the bastion, from inside and from outside, keeps its address and host key and brings every server back through it', async () => {
    const key = hostKey('bastion');
    const was = await address('bastion');
    for (const how of ['guest', 'provider'] as const) {
      const marker = await bootMarker(env.bastion);
      await rebootServer(env, 'bastion', how);
      assert.notEqual(await bootMarker(env.bastion), marker);
      assert.equal(await address('bastion'), was, `after a reboot (${how})`);
      assert.equal(await presentedKey('bastion'), key, `after a reboot (${how})`);
      assert.equal((await env.server('web-1').sh('hostname')).stdout, 'web-1\n');
    }
  });
});
