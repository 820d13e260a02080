import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { PipelineReport } from '../../harness/pipeline/report.js';
import type { RunReport } from '../../harness/run/results.js';
import { nothingLabelled, root, type CliResult } from './cli.js';
import { forgetPacked, installShakedown, npxShakedown, tempRepo } from './installed.js';

/**
 * Continuous imaging on a temporary git repository made here: the shelf project (a bastion and
 * two app servers, shell converge), an upgrade suite, two commits on main (the second writes
 * /etc/shelf/release and adds a spec that checks it), a tag v1.0 on the first, and a branch.
 */
const fixture = path.join(root, 'test', 'fixtures', 'projects', 'shelf');
const upgradeSuite = path.join(root, 'test', 'fixtures', 'suites', 'shelf-upgrade');

describe('engine: continuous imaging on a temporary git repository (images per ref, channels, pipelines)', function () {
  this.timeout(900_000);
  let repo: ReturnType<typeof tempRepo>;
  let dir: string;
  const commits: Record<string, string> = {};
  const timings: string[] = [];
  let runs = 0;

  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (message: string) => {
    git('add', '-A');
    git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };
  const labels = (tag: string) => JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Config.Labels}}', tag], { encoding: 'utf8' })) as Record<string, string>;

  async function cli(args: string[]): Promise<CliResult> {
    const started = Date.now();
    const r = await npxShakedown(dir, args);
    timings.push(`${args.slice(0, 3).join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return r;
  }

  async function run(args: string[]): Promise<CliResult & { report: RunReport; results: string }> {
    const results = path.join(dir, 'results', String(++runs));
    const r = await cli(['run', ...args, '--results', results]);
    assert.ok(existsSync(path.join(results, 'report.json')), `run ${args.join(' ')} exited ${r.code} without a report: ${r.stderr.slice(-2000)}`);
    return { ...r, report: JSON.parse(readFileSync(path.join(results, 'report.json'), 'utf8')) as RunReport, results };
  }

  const pipelineOf = (stdout: string, stderr: string): PipelineReport => {
    const m = /(\S+)\/pipeline\.html/.exec(stderr + stdout);
    assert.ok(m, `no pipeline report named:\n${stderr.slice(-3000)}`);
    return JSON.parse(readFileSync(path.resolve(dir, m[1]!, 'pipeline.json'), 'utf8')) as PipelineReport;
  };

  before(async function () {
    this.timeout(600_000);
    repo = tempRepo('imaging');
    dir = repo.dir;
    cpSync(fixture, dir, { recursive: true });
    cpSync(upgradeSuite, path.join(dir, 'suites', 'upgrade'), { recursive: true });
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n.shakedown/\nresults/\nshakedown-results/\n');
    installShakedown(dir);
    git('init', '-q', '-b', 'main');
    commits.v1 = commit('shelf v1.0');
    git('tag', 'v1.0');
    // The branch: v1.0 with a new message of the day on the bastion.
    git('checkout', '-q', '-b', 'release-1');
    const converge = path.join(dir, 'converge', 'converge.sh');
    writeFileSync(converge, readFileSync(converge, 'utf8').replace('Shelf bastion: the only way in.', 'Shelf bastion (release 1): the only way in.'));
    commits.branch = commit('release 1: a new motd');
    git('checkout', '-q', 'main');
    // main: every app server records its release, and a new spec of the build suite checks it.
    const code = readFileSync(converge, 'utf8').replace(/\n  put_file \/etc\/cron\.d\/shelf-index/, "\n  put_file /etc/shelf/release 0644 root:root <<< '2'\n\n  put_file /etc/cron.d/shelf-index");
    writeFileSync(converge, code);
    cpSync(path.join(root, 'test', 'fixtures', 'suites', 'shelf-release', 'release.spec.ts'), path.join(dir, 'suites', 'build', 'release.spec.ts'));
    commits.main = commit('release 2: /etc/shelf/release');
  });

  after(() => {
    if (timings.length) console.log(`    imaging timings: ${timings.join('; ')}`);
    // Every image this project built, and what it left in the engine.
    const images = execFileSync('docker', ['images', '-q', '--filter', 'label=shakedown.project=shelf', '--filter', 'label=shakedown.commit'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const mine = images.filter((id) => {
      const l = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Config.Labels}}', id], { encoding: 'utf8' })) as Record<string, string>;
      return Object.values(commits).includes(l['shakedown.commit'] ?? '') || l['shakedown.commit'] === 'none';
    });
    if (mine.length) execFileSync('docker', ['rmi', '-f', ...new Set(mine)], { stdio: 'ignore' });
    repo?.remove();
    forgetPacked();
  });

  it('images build --ref v1.0: every image labelled with its lineage (ref, commit, recipe hash, base id and build date, tool, Shakedown), under a tag that never moves', async () => {
    const r = await cli(['images', 'build', '--ref', 'v1.0']);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    for (const role of ['bastion', 'app']) {
      const line = new RegExp(`^(shakedown/shelf/${role}:v1-debian-12-${commits.v1!.slice(0, 12)}-([0-9a-f]{16}))\\s+(built in|up to date).* commit ${commits.v1!.slice(0, 12)}$`, 'm').exec(r.stdout);
      assert.ok(line, `no line for ${role}:\n${r.stdout}`);
      const l = labels(line[1]!);
      const base = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .}}', 'shakedown/base:debian-12'], { encoding: 'utf8' })) as { Id: string; Config: { Labels: Record<string, string> } };
      assert.equal(l['shakedown.commit'], commits.v1);
      assert.equal(l['shakedown.ref'], 'v1.0');
      assert.equal(l['shakedown.dirty'], 'false');
      assert.equal(l['shakedown.recipe-hash'], line[2]);
      assert.equal(l['shakedown.base-id'], base.Id);
      assert.equal(l['shakedown.base-built'], base.Config.Labels['shakedown.built']);
      assert.equal(l['shakedown.base-packages'], base.Config.Labels['shakedown.packages']);
      assert.match(l['shakedown.tool-version']!, /^bash=5\./);
      assert.match(l['shakedown.shakedown-version']!, /^\d+\.\d+\.\d+/);
      // Built FROM the base itself, never from another role image.
      const parentChain = execFileSync('docker', ['history', '-q', line[1]!], { encoding: 'utf8' });
      assert.ok(parentChain.split('\n').includes(base.Id.replace('sha256:', '').slice(0, 12)), `${line[1]} is not built on the base image`);
    }
  });

  it('a second build with nothing changed rebuilds nothing; the working tree at the same commit reuses the same images', async () => {
    const again = await cli(['images', 'build', '--ref', 'v1.0']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /built in/, again.stdout);
    const main = await cli(['images', 'build', '--ref', 'main']);
    assert.equal(main.code, 0, main.stderr);
    // main changed converge.sh, which both roles share: both are new; the working tree is main, so it reuses them.
    assert.equal((main.stdout.match(/built in/g) ?? []).length, 2, main.stdout);
    const tree = await cli(['images', 'build']);
    assert.doesNotMatch(tree.stdout, /built in/, tree.stdout);
  });

  it('an uncommitted change is built from the working tree and marked dirty; a ref never sees it', async () => {
    const converge = path.join(dir, 'converge', 'converge.sh');
    appendFileSync(converge, '# an uncommitted comment\n');
    try {
      const r = await cli(['images', 'build']);
      assert.equal(r.code, 0, r.stderr);
      const app = /^(shakedown\/shelf\/app:v1-debian-12-[0-9a-f]{12}-dirty-[0-9a-f]{16})\s+built in .* \(dirty\)$/m.exec(r.stdout);
      assert.ok(app, `no dirty app image:\n${r.stdout}`);
      assert.equal(labels(app[1]!)['shakedown.dirty'], 'true');
      assert.equal(labels(app[1]!)['shakedown.commit'], commits.main);
      const ref = await cli(['images', 'build', '--ref', 'main']);
      assert.doesNotMatch(ref.stdout, /built in/, `the ref build saw the working tree:\n${ref.stdout}`);
    } finally {
      git('checkout', '--', 'converge/converge.sh');
    }
    const back = await cli(['images', 'build']);
    assert.doesNotMatch(back.stdout, /built in/, `reverting the change rebuilt an image:\n${back.stdout}`);
  });

  it('promote refuses a failed run in one line and moves nothing; a passing run moves the channel, kept in the history', async () => {
    const red = await run(['--ref', 'v1.0', '--suite', 'build', '--defect', 'config-world-readable']);
    assert.equal(red.code, 1);
    const refused = await cli(['images', 'promote', 'production', '--from', red.results]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^shakedown: not promoting production: run \S+ did not pass: 2 test\(s\) failed; fix it and promote a passing run\n$/);
    assert.equal((await cli(['images', 'history'])).stdout, '');
    const green = await run(['--ref', 'v1.0', '--suite', 'build']);
    assert.equal(green.code, 0, green.stderr.slice(-2000));
    assert.deepEqual(green.report.origin, { ref: 'v1.0', commit: commits.v1, dirty: false });
    assert.deepEqual(green.report.lineage!.map((l) => `${l.role} ${l.commit}`).sort(), [`app ${commits.v1}`, `bastion ${commits.v1}`]);
    const junit = readFileSync(path.join(green.results, 'junit.xml'), 'utf8');
    assert.match(junit, new RegExp(`<property name="shakedown.image.app.v1" value="shakedown/shelf/app:v1-debian-12-${commits.v1!.slice(0, 12)}-[0-9a-f]{16} commit ${commits.v1} base debian-12 sha256:`));
    assert.match(readFileSync(path.join(green.results, 'report.html'), 'utf8'), new RegExp(`<code>${commits.v1!.slice(0, 12)}</code>`));
    const promoted = await cli(['images', 'promote', 'production', '--from', green.results]);
    assert.equal(promoted.code, 0, promoted.stderr);
    const history = await cli(['images', 'history', '--json']);
    const entries = JSON.parse(history.stdout) as { channel: string; run: string; images: { commit: string }[] }[];
    assert.deepEqual(entries.map((e) => [e.channel, e.run, e.images.map((i) => i.commit)]), [['production', green.report.run, [commits.v1, commits.v1]]]);
    const listed = JSON.parse((await cli(['images', 'ls', '--json'])).stdout) as { role: string; commit: string; channels: string[] }[];
    assert.deepEqual(listed.filter((i) => i.channels.includes('production')).map((i) => `${i.role} ${i.commit}`).sort(), [`app ${commits.v1}`, `bastion ${commits.v1}`]);
  });

  it('prune --keep 1 removes old images but keeps the channels\', the working tree\'s and any a container uses', async () => {
    const before = JSON.parse((await cli(['images', 'ls', '--json'])).stdout) as { tag: string; role: string; commit: string; dirty: boolean; channels: string[]; tags: string[] }[];
    // The dirty build is the newest app image, but the working tree's current one is main's again: the dirty one goes, unless a container uses it.
    const dirty = before.find((i) => i.dirty && i.role === 'app')!;
    assert.ok(dirty, 'no dirty image to prune');
    const container = execFileSync('docker', ['create', '--label', 'shakedown.test=prune', dirty.tag, 'true'], { encoding: 'utf8' }).trim();
    try {
      const dry = await cli(['images', 'prune', '--keep', '1', '--dry-run']);
      assert.doesNotMatch(dry.stdout, new RegExp(dirty.tag), `prune would remove an image a container uses:\n${dry.stdout}`);
    } finally {
      execFileSync('docker', ['rm', '-f', container]);
    }
    const r = await cli(['images', 'prune', '--keep', '1']);
    assert.equal(r.code, 0, r.stderr);
    const afterPrune = JSON.parse((await cli(['images', 'ls', '--json'])).stdout) as typeof before;
    const tags = afterPrune.map((i) => i.tag);
    for (const i of before.filter((x) => x.channels.length || x.commit === commits.main && !x.dirty)) assert.ok(tags.includes(i.tag), `prune removed ${i.tag} (${i.channels.join(',') || 'main'})`);
    assert.ok(!tags.includes(dirty.tag), `the dirty image is still there:\n${r.stdout}`);
  });

  it('nightly: builds nothing new, runs every suite on prebuilt and base images, upgrades production (v1.0) to development (main) with main\'s suites, promotes development', async () => {
    const r = await cli(['nightly', '--workers', '2', '--keep', '2']);
    const p = pipelineOf(r.stdout, r.stderr);
    assert.equal(r.code, 0, `exit ${r.code}: ${p.stages.map((s) => `${s.name}: ${s.outcome} ${s.detail ?? ''}`).join('\n')}`);
    assert.deepEqual(p.stages.map((s) => `${s.name}: ${s.outcome}`), [
      'build development: passed',
      'suites on development (prebuilt and base): passed',
      'upgrade production to development: passed',
      'promote development: passed',
      'prune: passed',
    ]);
    assert.match(p.stages[0]!.detail!, /0 built/);
    const suites = JSON.parse(readFileSync(path.join(p.stages[1]!.results!, 'report.json'), 'utf8')) as RunReport;
    assert.deepEqual([...new Set(suites.units.map((u) => u.topology))].sort(), ['shelf', 'shelf@base']);
    assert.ok(suites.units.some((u) => u.unit === 'build/release' && u.topology === 'shelf@base' && u.outcome === 'passed'), 'the base run did not converge main at launch');
    const upgrade = JSON.parse(readFileSync(path.join(p.stages[2]!.results!, 'report.json'), 'utf8')) as RunReport;
    // Launched on production's images (v1.0), checked afterwards by main's release spec.
    assert.deepEqual([...new Set(upgrade.lineage!.map((l) => l.commit))], [commits.v1]);
    assert.ok(upgrade.suites.flatMap((s) => s.tests).some((t) => /release/.test(t.fullTitle) && t.state === 'passed'), 'main\'s release spec did not run after the upgrade');
    const history = JSON.parse((await cli(['images', 'history', 'development', '--json'])).stdout) as { images: { commit: string }[] }[];
    assert.deepEqual(history.at(-1)!.images.map((i) => i.commit), [commits.main, commits.main]);
    assert.ok(existsSync(path.join(p.dir, 'pipeline.html')));
    assert.equal(nothingLabelled(`shakedown.topology=shelf`), undefined);
  });

  it('run --upgrade-from production --upgrade-to development: production\'s images, development\'s code and suites; bad refs and channels are one line, exit 2', async () => {
    const r = await run(['--suite', 'upgrade', '--upgrade-from', 'production', '--upgrade-to', 'development']);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.deepEqual([...new Set(r.report.lineage!.map((l) => l.commit))], [commits.v1]);
    assert.equal(r.report.origin?.commit, commits.main);
    assert.ok(r.report.suites.flatMap((s) => s.tests).some((t) => /runs release 2/.test(t.fullTitle) && t.state === 'passed'), 'main\'s release spec did not run');
    const badRef = await cli(['run', '--suite', 'build', '--ref', 'no-such-ref']);
    assert.equal(badRef.code, 2);
    assert.match(badRef.stderr, /^shakedown: --ref no-such-ref: no such branch, tag or commit in \S+; see 'git branch -a' and 'git tag'\n$/);
    const badChannel = await cli(['run', '--suite', 'upgrade', '--upgrade-from', 'staging']);
    assert.equal(badChannel.code, 2);
    assert.match(badChannel.stderr, /^shakedown: channel 'staging': channels are production, development and branch-NAME\n$/);
  });

  it('nightly with a failing suite: exit 1, development not promoted, and the trend shows both nights', async () => {
    const before = (JSON.parse((await cli(['images', 'history', '--json'])).stdout) as unknown[]).length;
    const r = await cli(['nightly', '--workers', '2', '--defect', 'config-world-readable']);
    const p = pipelineOf(r.stdout, r.stderr);
    assert.equal(r.code, 1, p.stages.map((s) => `${s.name}: ${s.outcome}`).join('\n'));
    assert.equal(p.stages.find((s) => s.name === 'promote development')?.outcome, 'skipped');
    assert.equal((JSON.parse((await cli(['images', 'history', '--json'])).stdout) as unknown[]).length, before);
    const html = readFileSync(path.join(p.dir, 'pipeline.html'), 'utf8');
    assert.equal((html.match(/<span class="badge (passed|failed)">/g) ?? []).length >= 4, true, 'the trend does not show two nights');
  });

  it('qualify --branch release-1: its images, every suite, upgrades production → branch → development; promotes branch-release-1', async () => {
    const r = await cli(['qualify', '--branch', 'release-1', '--workers', '2']);
    const p = pipelineOf(r.stdout, r.stderr);
    assert.equal(r.code, 0, `exit ${r.code}: ${p.stages.map((s) => `${s.name}: ${s.outcome} ${s.detail ?? ''}`).join('\n')}`);
    assert.deepEqual(p.stages.map((s) => s.name), [
      'build branch-release-1',
      'suites on branch-release-1 (prebuilt and base)',
      'upgrade production to branch-release-1',
      'upgrade branch-release-1 to development',
      'promote branch-release-1',
      'prune',
    ]);
    const toDev = JSON.parse(readFileSync(path.join(p.stages[3]!.results!, 'report.json'), 'utf8')) as RunReport;
    assert.deepEqual([...new Set(toDev.lineage!.map((l) => l.commit))], [commits.branch]);
    assert.equal(toDev.origin?.commit, commits.main);
  });
});
