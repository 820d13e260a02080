import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { chooseProject, loadProject } from '../../../harness/project/index.js';
import { INIT_TOOLS, initProject, projectName, starterFiles } from '../../../harness/project/init.js';
import { catalog } from '../../../harness/images/catalog.js';
import { defaultTopology, loadTopology } from '../../../harness/topology/load.js';
import { root } from '../../engine/cli.js';
import { assertBadInput } from '../assert-bad-input.js';

const temp = mkdtempSync(path.join(os.tmpdir(), 'shakedown-init-unit-'));
let n = 0;
const emptyDir = (name = `repo-${++n}`) => {
  const dir = path.join(temp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const tree = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tree(path.join(dir, d.name)).map((f) => `${d.name}/${f}`) : [d.name])).sort();

describe('project/init', () => {
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('projectName: a folder name made into one the schema accepts', () => {
    assert.equal(projectName('/home/me/infra'), 'infra');
    assert.equal(projectName('/home/me/My Infra_Repo.v2'), 'my-infra-repo-v2');
    assert.equal(projectName('/tmp/2024--edge--'), 'edge');
    assert.equal(projectName('/tmp/123'), 'project');
    assert.equal(projectName('/tmp/ünïcode'), 'n-code');
    assert.equal(projectName(`/tmp/${'a'.repeat(30)}-bcd`), 'a'.repeat(30));
    for (const folder of ['A', 'x'.repeat(80), '-lead', 'trail-', 'a b c', 'Ops.Team#1', '___', 'z9']) {
      assert.match(projectName(folder), /^[a-z][a-z0-9-]{0,30}$/, folder);
      assert.doesNotMatch(projectName(folder), /-$/, folder);
    }
  });

  for (const tool of INIT_TOOLS) {
    it(`${tool}: writes a project that loads, whose default topology validates, with every placeholder filled`, () => {
      const dir = emptyDir(`Tool ${tool}`);
      const { name, files } = initProject(dir, tool);
      assert.equal(name, `tool-${tool}`);
      assert.deepEqual(tree(dir), [...files].sort());
      for (const f of files) assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), /\{\{(name|converge)\}\}/, f);
      const p = loadProject(dir);
      assert.equal(p.name, name);
      assert.deepEqual(p.roles, ['bastion', 'app']);
      assert.ok(p.converge.changes, 'converge.changes is set, so the idempotence suite runs');
      chooseProject(dir);
      try {
        assert.equal(defaultTopology(), name);
        const topology = loadTopology(name, catalog());
        assert.equal(topology.bastion, 'bastion');
        assert.deepEqual(topology.roles.bastion?.publish, [22]);
        assert.deepEqual(catalog().defects, ['config-world-readable']);
      } finally {
        chooseProject(undefined);
      }
    });
  }

  it('shell: the converge stub is executable and its changes command reads its `changed:` lines', () => {
    const dir = emptyDir();
    initProject(dir, 'shell');
    assert.equal(statSync(path.join(dir, 'converge/converge.sh')).mode & 0o111, 0o111);
    const p = loadProject(dir);
    assert.deepEqual(p.converge.changes, { command: "grep '^changed: ' | cut -c10-" });
    const printed = spawnSync('bash', ['-c', p.converge.changes.command], { input: 'noise\nchanged: /etc/x mode\n', encoding: 'utf8' }).stdout;
    assert.equal(printed, '/etc/x mode\n');
  });

  it('ansible and puppet: the tool is installed by its Debian package and `changes:` names it', () => {
    assert.match(starterFiles('ansible', 'x').find((f) => f.path === 'shakedown.yml')!.content, /packages: \[ansible-core\][\s\S]*changes: ansible/);
    assert.match(starterFiles('puppet', 'x').find((f) => f.path === 'shakedown.yml')!.content, /packages: \[puppet\][\s\S]*--detailed-exitcodes[\s\S]*changes: puppet/);
  });

  it('refuses to overwrite: an existing file is named in one line, and nothing is written', () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, 'defects.json'), '{}\n');
    mkdirSync(path.join(dir, 'suites/build'), { recursive: true });
    writeFileSync(path.join(dir, 'suites/build/smoke.spec.ts'), '// mine\n');
    assertBadInput(() => initProject(dir, 'shell'), /defects\.json already exists/);
    assert.deepEqual(tree(dir), ['defects.json', 'suites/build/smoke.spec.ts']);
    assert.equal(readFileSync(path.join(dir, 'defects.json'), 'utf8'), '{}\n');
  });

  it('refuses to overwrite: a file where a folder would go is named, and nothing is written', () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, 'stacks'), 'not a folder\n');
    assertBadInput(() => initProject(dir, 'puppet'), /stacks already exists/);
    assert.deepEqual(tree(dir), ['stacks']);
  });

  describe('the init verb', function () {
    // A child process loading the whole CLI: seconds on a busy machine, not milliseconds.
    this.timeout(30_000);
    const cli = (args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'shakedown.js'), ...args], { encoding: 'utf8' });

    it('an unknown --config is one line naming the flag and the choices, exit 2, and nothing is written', () => {
      const dir = emptyDir();
      const r = cli(['init', '--config', 'chef', '--project', dir]);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /--config.*'chef'.*shell, ansible, puppet/);
      assert.deepEqual(tree(dir), []);
    });

    it('an existing file: exit 2, one line naming it, nothing written', () => {
      const dir = emptyDir();
      writeFileSync(path.join(dir, 'shakedown.yml'), 'name: mine\n');
      const r = cli(['init', '--project', dir]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr.trim(), /^shakedown: \S*shakedown\.yml already exists: [^\n]*$/);
      assert.deepEqual(tree(dir), ['shakedown.yml']);
    });

    it('--project DIR: creates the folder, names the project after it, prints the files and the next commands', () => {
      const dir = path.join(emptyDir(), 'New_Repo');
      const r = cli(['init', '--project', dir]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /'new-repo'/);
      for (const f of ['shakedown.yml', 'stacks/new-repo.yml', 'suites/build/smoke.spec.ts', 'converge/converge.sh', 'defects.json']) assert.match(r.stdout, new RegExp(`^  ${f}$`, 'm'));
      assert.match(r.stdout, /^  cd \S*New_Repo\n  npx shakedown images build\n  npx shakedown run --suite build\n$/m);
    });
  });
});
