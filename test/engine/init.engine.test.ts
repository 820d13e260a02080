import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { projectName } from '../../harness/project/init.js';
import { nothingLabelled } from './cli.js';
import { forgetPacked, installShakedown, npxShakedown, tempRepo } from './installed.js';
import { failures, type Summary } from './runs.js';

/** A project's images, the current ones and those a rebake left untagged; removing them removes their layers. */
const projectImages = (name: string) =>
  execFileSync('docker', ['image', 'ls', '-q', '--filter', `label=shakedown.project=${name}`], { encoding: 'utf8' }).split('\n').filter(Boolean);

describe('engine: shakedown init, from an empty repository to a green build suite', function () {
  this.timeout(900_000);
  const repo = tempRepo('init');
  const name = projectName(repo.dir);
  const shakedown = (...args: string[]) => npxShakedown(repo.dir, args);
  let runs = 0;

  /** `run --suite SUITE`, with its JSON results. */
  async function run(suite: string): Promise<{ code: number | null; stderr: string; summary: Summary }> {
    const json = path.join(repo.dir, `run-${++runs}.json`);
    const r = await shakedown('run', '--suite', suite, '--json', json);
    return { code: r.code, stderr: r.stderr, summary: JSON.parse(readFileSync(json, 'utf8')) };
  }

  before(() => {
    execFileSync('git', ['init', '-q'], { cwd: repo.dir });
    installShakedown(repo.dir);
  });

  after(() => {
    try {
      const images = projectImages(name);
      if (images.length) execFileSync('docker', ['image', 'rm', '-f', ...images], { stdio: 'ignore' });
    } finally {
      repo.remove();
      forgetPacked();
    }
  });

  it('init --config shell writes the project and says what to run next', async () => {
    const r = await shakedown('init', '--config', 'shell');
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['shakedown.yml', `stacks/${name}.yml`, 'suites/build/smoke.spec.ts', 'converge/converge.sh', 'defects.json']) {
      assert.match(r.stdout, new RegExp(`^  ${f}$`, 'm'));
    }
    assert.match(r.stdout, /npx shakedown images build\n {2}npx shakedown run --suite build\n$/);
  });

  it('images build bakes its two role images on the base set-up built', async () => {
    const r = await shakedown('images', 'build');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^shakedown\/base:debian-12-[0-9a-f]{16}\s+up to date$/m);
    for (const role of ['bastion', 'app']) assert.match(r.stdout, new RegExp(`^shakedown/${name}/${role}:v1-debian-12-none-[0-9a-f]{16}\\s+built in .* commit none$`, 'm'));
  });

  it('run --suite build passes', async () => {
    const r = await run('build');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(failures(r.summary), []);
    assert.equal(r.summary.outcome, 'passed');
    assert.ok(r.summary.passed >= 6, `${r.summary.passed} tests passed`);
  });

  it('run --suite idempotence passes: a second converge of the stub changes nothing', async () => {
    const r = await run('idempotence');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(failures(r.summary), []);
  });

  it('a broken stub: images build rebakes, and the build suite fails naming the problem', async () => {
    const stub = path.join(repo.dir, 'converge', 'converge.sh');
    const code = readFileSync(stub, 'utf8');
    assert.match(code, /^config_mode=640$/m);
    writeFileSync(stub, code.replace(/^config_mode=640$/m, 'config_mode=604'));
    const build = await shakedown('images', 'build');
    assert.equal(build.code, 0, build.stderr);
    for (const role of ['bastion', 'app']) assert.match(build.stdout, new RegExp(`^shakedown/${name}/${role}:v1-debian-12-none-[0-9a-f]{16}\\s+built in .* commit none$`, 'm'));
    const r = await run('build');
    assert.equal(r.code, 1, r.stderr);
    const failed = failures(r.summary).map((t) => t.error ?? '');
    const wrongMode = new RegExp(`^(\\S+): file /etc/${name}/${name}\\.conf: mode is 604, expected 640$`);
    assert.deepEqual(failed.map((e) => wrongMode.exec(e)?.[1] ?? e).sort(), ['app-1', 'bastion']);
  });

  // Other runs may share the engine: what this project's topology launched is what must be gone.
  it('leaves nothing labelled on the engine', () => assert.equal(nothingLabelled(`shakedown.topology=${name}`), undefined));
});
