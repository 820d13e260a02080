import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { root, shakedown } from './cli.js';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);

describe('engine: images build', function () {
  this.timeout(120_000);
  // The bake-fails project's bastion image bakes fine; it is this test's alone.
  after(() => docker('image', 'ls', '--filter', 'reference=shakedown/bake-fails/*', '--format', '{{.Repository}}:{{.Tag}}').forEach((i) => docker('rmi', i)));

  it('skips every image whose recipe is unchanged (set-up has just built them)', async () => {
    const r = await shakedown(['images', 'build']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 11, r.stdout);
    for (const line of lines) assert.match(line, /^shakedown\/\S+\s+up to date( commit [0-9a-f]{12}( \(dirty\))?)?$/);
  });

  it('a converge that fails at bake time: exit 3 naming the role, the command and its last lines; no builder left', async () => {
    const r = await shakedown(['images', 'build', '--project', path.join(root, 'test', 'fixtures', 'projects', 'bake-fails')]);
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /baking role app \(shakedown\/bake-fails\/app:current-debian-12-[0-9a-f]{12}(-dirty)?-[0-9a-f]{16}\): converge command '\.\/converge\.sh' exited 4: /);
    // The converge's stdout and stderr reach the build's output through separate streams, in either order.
    const converged = lines[0]!.replace(/^.* exited 4: /, '').split(' | ').sort();
    assert.deepEqual(converged, ['cannot write /etc/app/app.conf: no such template app.conf.tmpl', 'configuring app']);
    assert.deepEqual(docker('ps', '-a', '--filter', 'label=shakedown.project=bake-fails', '--format', '{{.Names}}'), [], 'a build container was left behind');
    assert.deepEqual(docker('image', 'ls', '--filter', 'reference=shakedown/bake-fails/app', '--format', '{{.Tag}}'), [], 'the failed role was tagged');
  });
});
