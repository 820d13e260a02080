import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'mocha';
import { TestFailureError } from '../../../harness/errors.js';
import { channelSpec, channelsOf, promotions } from '../../../harness/images/channels.js';
import { promote } from '../../../harness/images/manage.js';
import { resolveRef, treeAt, workingTreeOrigin } from '../../../harness/project/git.js';
import { chooseProject, homeProject, loadProject } from '../../../harness/project/index.js';
import type { ImageUse, RunReport } from '../../../harness/run/results.js';
import { root } from '../../engine/cli.js';
import { assertBadInput } from '../assert-bad-input.js';

const temp = mkdtempSync(path.join(os.tmpdir(), 'shakedown-channels-unit-'));
let n = 0;

/** A copy of the shelf fixture project, optionally a git repository with one commit. */
function project(yaml = '', gitInit = false): string {
  const dir = path.join(temp, `p${++n}`);
  cpSync(path.join(root, 'test', 'fixtures', 'projects', 'shelf'), dir, { recursive: true });
  if (yaml) writeFileSync(path.join(dir, 'shakedown.yml'), readFileSync(path.join(dir, 'shakedown.yml'), 'utf8').replace(/^versions:\n.*\n/m, yaml));
  if (gitInit) {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'one');
  }
  chooseProject(dir);
  return dir;
}

const use = (role: string, version: string, from: 'prebuilt' | 'base' = 'prebuilt'): ImageUse => ({
  tag: `shakedown/shelf/${role}:${version}-debian-12-abc-1234`, id: `sha256:${role}${version}`, role, version, base: 'debian-12', hash: '1234', ref: 'main', commit: 'abc', dirty: false,
  baseId: 'sha256:base', baseBuilt: '2026-11-30T00:00:00Z', basePackages: 'p', tool: 'bash=5.2', shakedown: '0.1.0', built: '2026-11-30T01:00:00Z', tags: [], from,
});

function results(r: Partial<RunReport>): string {
  const dir = path.join(temp, `results-${++n}`);
  mkdirSync(dir);
  const report = { run: `r${n}`, outcome: 'passed', failed: 0, flaky: 0, infra: 0, lineage: [use('app', 'v1'), use('app', 'v2'), use('bastion', 'v1'), use('base', '', 'base')], ...r };
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}

describe('images/channels and promotion', () => {
  afterEach(() => chooseProject(undefined));
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('channelSpec: production at the first version, development at the last, a branch at its own name; the project file overrides', () => {
    project('versions: [v1, v2]\nchannels:\n  production: { ref: v1.0 }\n  branch-rc: { ref: release/rc, version: v1 }\n');
    assert.deepEqual(channelSpec('production'), { name: 'production', ref: 'v1.0', version: 'v1' });
    assert.deepEqual(channelSpec('development'), { name: 'development', ref: 'HEAD', version: 'v2' });
    assert.deepEqual(channelSpec('branch-rel-2'), { name: 'branch-rel-2', ref: 'rel-2', version: 'v2' });
    assert.deepEqual(channelSpec('branch-rc'), { name: 'branch-rc', ref: 'release/rc', version: 'v1' });
    assertBadInput(() => channelSpec('staging'), /^channel 'staging': channels are production, development and branch-NAME$/);
  });

  it('a channel naming an unknown version or an unknown channel name is one line naming the key', () => {
    project('versions: [v1]\nchannels:\n  development: { version: v9 }\n');
    assertBadInput(() => homeProject(), /shakedown\.yml: channels\.development\.version: 'v9' is not one of versions \(v1\)$/);
    project('versions: [v1]\nchannels:\n  nightly: { ref: main }\n');
    assertBadInput(() => homeProject(), /shakedown\.yml: channels\.nightly: must be 'production', 'development' or 'branch-NAME'/);
  });

  it('promote: a passing run moves the channel to its prebuilt images of the channel\'s version, and the history keeps it', () => {
    project('versions: [v1, v2]\n');
    const p = promote('production', results({}));
    assert.deepEqual(p.images.map((i) => `${i.role}:${i.version}`), ['app:v1', 'bastion:v1']);
    assert.deepEqual(promotions().map((x) => x.channel), ['production']);
    assert.deepEqual(channelsOf('sha256:appv1'), ['production']);
    assert.deepEqual(channelsOf('sha256:appv2'), []);
    promote('production', results({ lineage: [use('app', 'v1'), use('bastion', 'v1')].map((u) => ({ ...u, id: `${u.id}-later` })) }));
    assert.deepEqual(channelsOf('sha256:appv1'), [], 'the channel moved on');
    assert.equal(promotions().length, 2);
  });

  for (const [what, report, why] of [
    ['failed', { outcome: 'failed', failed: 2 }, /did not pass: 2 test\(s\) failed; fix it and promote a passing run$/],
    ['interrupted', { outcome: 'interrupted', error: 'interrupted' }, /did not pass: its outcome is interrupted \(interrupted\); fix it/],
    ['flaky', { flaky: 1 }, /did not pass: 1 unit\(s\) passed only on retry \(flaky\); fix it/],
    ['infra', { outcome: 'error', infra: 1, error: 'db-1: launch failed' }, /did not pass: its outcome is error \(db-1: launch failed\)/],
  ] as const) {
    it(`promote refuses a ${what} run in one line (exit 1) and records nothing`, () => {
      project();
      assert.throws(() => promote('development', results(report as Partial<RunReport>)), (e: unknown) => {
        assert.ok(e instanceof TestFailureError);
        assert.equal(e.exitCode, 1);
        assert.match(e.message, /^not promoting development: run r\d+ /);
        assert.match(e.message, why);
        return true;
      });
      assert.deepEqual(promotions(), []);
    });
  }

  it('promote refuses a run on base images only, and a folder with no report', () => {
    project();
    assertBadInput(() => promote('development', results({ lineage: [use('base', '', 'base')] })), /used no prebuilt role images/);
    assertBadInput(() => promote('development', path.join(temp, 'nowhere')), /^--from .*nowhere: no report\.json there/);
  });

  it('git: a ref resolves to its commit, a bad one is bad input; the working tree is dirty only when the image inputs change', () => {
    const dir = project('', true);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    assert.equal(resolveRef(dir, 'main'), head);
    assertBadInput(() => resolveRef(dir, 'no-such-branch'), /^--ref no-such-branch: no such branch, tag or commit in /);
    assert.deepEqual(workingTreeOrigin(homeProject()), { ref: 'main', commit: head, dirty: false });
    writeFileSync(path.join(dir, 'notes.txt'), 'not an input of any image');
    assert.equal(workingTreeOrigin(homeProject()).dirty, false);
    writeFileSync(path.join(dir, 'converge', 'converge.sh'), '# changed\n', { flag: 'a' });
    assert.equal(workingTreeOrigin(homeProject()).dirty, true);
    const outside = path.join(temp, 'not-git');
    mkdirSync(outside);
    assertBadInput(() => resolveRef(outside, 'main'), /^--ref main: .* is not in a git repository/);
  });

  it('treeAt: the project as committed (never the working tree), without its package.json, loadable', () => {
    const dir = project('', true);
    writeFileSync(path.join(dir, 'converge', 'converge.sh'), '# uncommitted\n', { flag: 'a' });
    const tree = treeAt(dir, resolveRef(dir, 'HEAD'));
    assert.ok(tree.startsWith(path.join(dir, '.shakedown', 'trees')));
    assert.doesNotMatch(readFileSync(path.join(tree, 'converge', 'converge.sh'), 'utf8'), /uncommitted/);
    assert.ok(!existsSync(path.join(tree, 'package.json')));
    assert.equal(loadProject(tree).name, 'shelf');
  });
});
