import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
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

  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'small.yml'), catalog());
    env = await launchEnvironment({ topology, provider: new DockerProvider(), run: 'rtest-life', worker: 0, keep: false, ttlMs: 600_000 });
  });
  after(() => env?.destroy());

  it('a reboot from inside is a real boot: new marker, /run cleared, disk and host key kept', async () => {
    const web = () => env.server('web-1');
    const marker = await bootMarker(web());
    const key = hostKey('web-1');
    await web().must('touch /run/before-reboot /var/tmp/before-reboot');
    await rebootServer(env, 'web-1', 'guest');
    assert.notEqual(await bootMarker(web()), marker);
    assert.equal(await web().file('/run/before-reboot'), undefined);
    assert.ok(await web().file('/var/tmp/before-reboot'));
    assert.equal(hostKey('web-1'), key);
  });

  it('a reboot of the bastion from outside brings every server back through it', async () => {
    const marker = await bootMarker(env.bastion);
    await rebootServer(env, 'bastion', 'provider');
    assert.notEqual(await bootMarker(env.bastion), marker);
    assert.equal((await env.server('web-1').sh('hostname')).stdout, 'web-1\n');
  });

  it('a relaunch keeps the volume, loses the root disk, and brings a new host key learnt out of band', async () => {
    const web = () => env.server('web-1');
    const key = hostKey('web-1');
    await web().must('echo kept > /srv/data/probe && echo lost > /var/tmp/probe');
    await relaunchServer(env, 'web-1');
    assert.equal(await web().get('/srv/data/probe'), 'kept\n');
    assert.equal(await web().file('/var/tmp/probe'), undefined);
    assert.notEqual(hostKey('web-1'), key);
  });
});
