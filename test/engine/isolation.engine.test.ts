import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { RunningEnvironment } from '../../harness/environment/environment.js';
import { launchEnvironment } from '../../harness/environment/launch.js';
import { catalog } from '../../harness/images/catalog.js';
import { DockerProvider } from '../../harness/provider/docker/docker-provider.js';
import { loadTopology } from '../../harness/topology/load.js';
import { root } from './cli.js';

const addressOf = (env: RunningEnvironment, server: string) =>
  execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', `sd-${env.id}-${server}`], { encoding: 'utf8' }).trim();

describe('engine: environments cannot reach each other', function () {
  this.timeout(90_000);
  const envs: RunningEnvironment[] = [];

  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'small.yml'), catalog());
    const provider = new DockerProvider();
    for (const worker of [1, 2]) envs.push(await launchEnvironment({ topology, provider, run: 'rtest-iso', worker, keep: false, ttlMs: 600_000 }));
  });
  after(() => Promise.all(envs.map((e) => e.destroy())));

  it("reaches its own server's sshd, but not the other environment's", async () => {
    const [a, b] = envs as [RunningEnvironment, RunningEnvironment];
    const probe = (ip: string) => a.bastion.sh(`timeout 3 bash -c '</dev/tcp/${ip}/22' && echo open || echo closed`);
    assert.equal((await probe(addressOf(a, 'web-1'))).stdout.trim(), 'open');
    assert.equal((await probe(addressOf(b, 'web-1'))).stdout.trim(), 'closed');
    assert.equal((await probe(addressOf(b, 'bastion'))).stdout.trim(), 'closed');
  });
});
