import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { eventually, root, shakedown, start } from './cli.js';

const fixture = (name: string) => path.join(root, 'test', 'fixtures', 'projects', name);

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);

describe('engine: images build', function () {
  this.timeout(120_000);
  // The fixture projects' bastion images bake fine; they are this test's alone.
  after(() => {
    for (const name of ['bake-fails', 'task-fails']) {
      docker('image', 'ls', '--filter', `reference=shakedown/${name}/*`, '--format', '{{.Repository}}:{{.Tag}}').forEach((i) => docker('rmi', i));
    }
  });

  it('skips every image whose recipe is unchanged (set-up has just built them)', async () => {
    const r = await shakedown(['images', 'build']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 11, r.stdout);
    for (const line of lines) assert.match(line, /^shakedown\/\S+\s+up to date( commit [0-9a-f]{12}( \(dirty\))?)?$/);
  });

  it('a converge that fails at bake time: exit 1 (the configuration code, not the engine) naming the role, the command and its last lines; no builder left', async () => {
    const r = await shakedown(['images', 'build', '--project', fixture('bake-fails')]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /baking role app \(shakedown\/bake-fails\/app:current-debian-12-[0-9a-f]{12}(-dirty)?-[0-9a-f]{16}\): converge command '\.\/converge\.sh' exited 4: /);
    // The converge's stdout and stderr reach the build's output through separate streams, in either order.
    const converged = lines[0]!.replace(/^.* exited 4: /, '').split(' | ').sort();
    assert.deepEqual(converged, ['cannot write /etc/app/app.conf: no such template app.conf.tmpl', 'configuring app']);
    assert.deepEqual(docker('ps', '-a', '--filter', 'label=shakedown.project=bake-fails', '--format', '{{.Names}}'), [], 'a build container was left behind');
    assert.deepEqual(docker('image', 'ls', '--filter', 'reference=shakedown/bake-fails/app', '--format', '{{.Tag}}'), [], 'the failed role was tagged');
  });

  it('an Ansible converge that fails on a task at bake time: exit 1 naming the role, the task and its message; no builder left', async () => {
    const r = await shakedown(['images', 'build', '--project', fixture('task-fails')]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /baking role app \(shakedown\/task-fails\/app:\S+\): converge command '.*ansible-playbook.*' exited 2 at task \[app : Write the app configuration\]: Destination directory \/etc\/app does not exist$/);
    assert.deepEqual(docker('ps', '-a', '--filter', 'label=shakedown.project=task-fails', '--format', '{{.Names}}'), [], 'a build container was left behind');
  });

  it('a build killed (kill -9) during a bake: its builder container carries its process, and the janitor removes it', async function () {
    this.timeout(300_000);
    const build = start(['images', 'build', '--project', fixture('bake-hangs')]);
    const exited = new Promise((resolve) => build.on('exit', resolve));
    try {
      // The build's other steps have short-lived containers too: the builder is the one running the converge.
      const converging = (id: string) => {
        try {
          return docker('top', id).some((l) => l.includes('sleep 900'));
        } catch {
          return false;
        }
      };
      const builderOf = () => docker('ps', '--filter', 'label=shakedown.project=bake-hangs', '--format', '{{.ID}} {{.Label "shakedown.builder"}}').find((c) => converging(c.split(' ')[0]!));
      // Killed while the bake is quiet: killed while docker build streams output, its client dies too and the engine removes the builder itself.
      const builder = await eventually(builderOf, 240_000, "the bake's builder container running the converge");
      assert.match(builder, new RegExp(`^\\S+ pid=${build.pid} start=\\d+ host=\\S+ expires=\\S+$`));
      build.kill('SIGKILL');
      await exited;
      const j = await shakedown(['janitor']);
      assert.equal(j.code, 0, j.stderr);
      assert.match(j.stdout, new RegExp(`^removed container \\S+: process ${build.pid} of run images-build is gone$`, 'm'));
      assert.deepEqual(docker('ps', '-a', '--filter', 'label=shakedown.project=bake-hangs', '--format', '{{.Names}}'), [], 'the killed build left its builder');
    } finally {
      build.kill('SIGKILL');
      docker('ps', '-aq', '--filter', 'label=shakedown.project=bake-hangs').forEach((c) => docker('rm', '-f', c));
      // A kill -9 skips the build's own clean-up of the folder docker build writes the image id to.
      readdirSync(os.tmpdir()).filter((f) => f.startsWith('shakedown-iid-')).forEach((f) => rmSync(path.join(os.tmpdir(), f), { recursive: true, force: true }));
    }
  });
});
