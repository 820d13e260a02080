import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { RunReport } from '../../harness/run/results.js';
import { nothingLabelled, root, type CliResult } from './cli.js';
import { forgetPacked, installShakedown, npxShakedown, tempRepo } from './installed.js';

/** A small project that is not the example platform: a shell converge, a bastion and two app servers. */
const fixture = path.join(root, 'test', 'fixtures', 'projects', 'shelf');

describe('engine: a project of its own (shelf), qualified from outside the tree with the packed Shakedown', function () {
  this.timeout(600_000);
  let repo: ReturnType<typeof tempRepo> | undefined;
  const timings: string[] = [];
  let runs = 0;

  async function timed<T>(step: string, work: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings.push(`${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }

  /** `npx shakedown run ARGS --results DIR` in the project, and the report it wrote. */
  async function run(args: string[]): Promise<CliResult & { report: RunReport }> {
    const results = path.join(repo!.dir, 'results', String(++runs));
    const r = await timed(`run ${args.join(' ')}`, () => npxShakedown(repo!.dir, ['run', ...args, '--results', results]));
    let report: RunReport;
    try {
      report = JSON.parse(readFileSync(path.join(results, 'report.json'), 'utf8')) as RunReport;
    } catch (error) {
      throw new Error(`run ${args.join(' ')} exited ${r.code} without a report (${(error as Error).message}): ${r.stderr.slice(-2000)}`);
    }
    return { ...r, report };
  }

  const tests = (report: RunReport) => report.suites.flatMap((s) => s.tests);
  const failed = (report: RunReport) => tests(report).filter((t) => t.state === 'failed').map((t) => t.error ?? t.fullTitle);
  const leftBehind = (report: RunReport) => nothingLabelled(`shakedown.run=${report.run}`);

  before(async function () {
    this.timeout(600_000);
    repo = tempRepo('project');
    cpSync(fixture, repo.dir, { recursive: true });
    await timed('install', () => installShakedown(repo!.dir));
    const built = await timed('images build', () => npxShakedown(repo!.dir, ['images', 'build']));
    assert.equal(built.code, 0, `images build exited ${built.code}: ${built.stderr.slice(-2000)}`);
    // The base is the tree's reference image: the packed recipe must hash the same, so a user's project reuses it.
    assert.match(built.stdout, /^shakedown\/base:debian-12-[0-9a-f]{16}\s+up to date$/m, `the installed Shakedown rebuilt the base:\n${built.stdout}`);
    for (const role of ['bastion', 'app']) assert.match(built.stdout, new RegExp(`^shakedown/shelf/${role}:v1-debian-12-none-[0-9a-f]{16} `, 'm'));
  });

  after(() => {
    if (timings.length) console.log(`    shelf timings: ${timings.join('; ')}`);
    repo?.remove();
    forgetPacked();
  });

  it('build: exit 0, every test of both spec files (JavaScript and TypeScript) passed, nothing left behind', async () => {
    const { code, report, stderr } = await run(['--suite', 'build']);
    assert.equal(code, 0, `exit ${code}; failures: ${failed(report).join('\n')}\n${stderr.slice(-1000)}`);
    assert.equal(report.outcome, 'passed');
    assert.deepEqual(report.units.map((u) => u.unit).sort(), ['build/app', 'build/health']);
    assert.equal(tests(report).length, 21, 'bastion 2, each app server 8, and health 1 per server');
    assert.deepEqual(tests(report).filter((t) => t.state !== 'passed').map((t) => t.fullTitle), []);
    assert.ok(tests(report).some((t) => /app-2 \(app\) answers from the bastion/.test(t.fullTitle)), 'no HTTP check of app-2');
    assert.equal(leftBehind(report), undefined);
  });

  it('build --defect config-world-readable: exit 1, and the failures name the file, its mode, and each app server', async () => {
    const { code, report } = await run(['--suite', 'build', '--defect', 'config-world-readable']);
    const messages = failed(report);
    assert.equal(code, 1, `exit ${code}; failures: ${messages.join('\n')}`);
    for (const server of ['app-1', 'app-2']) {
      const symptom = new RegExp(`^${server}: file /etc/shelf/app\\.conf: mode is 644, expected 640$`);
      assert.ok(messages.some((m) => symptom.test(m)), `no failure matched ${symptom}:\n${messages.join('\n')}`);
    }
    assert.equal(messages.length, 2, `only the config mode should fail:\n${messages.join('\n')}`);
    assert.equal(leftBehind(report), undefined);
  });

  it('idempotence: exit 0, a second converge of every server changes nothing', async () => {
    const { code, report } = await run(['--suite', 'idempotence']);
    assert.equal(code, 0, `exit ${code}; failures: ${failed(report).join('\n')}`);
    const converged = tests(report).filter((t) => / a second converge changes nothing$/.test(t.title));
    assert.deepEqual(converged.map((t) => `${t.title}: ${t.state}`).sort(), ['app-1', 'app-2', 'bastion'].map((s) => `${s}: a second converge changes nothing: passed`));
    assert.equal(leftBehind(report), undefined);
  });

  it('idempotence --defect not-idempotent: exit 1, naming each app server and the resource its converge rewrote', async () => {
    const { code, report } = await run(['--suite', 'idempotence', '--defect', 'not-idempotent']);
    const messages = failed(report);
    assert.equal(code, 1, `exit ${code}; failures: ${messages.join('\n')}`);
    for (const server of ['app-1', 'app-2']) {
      assert.ok(messages.includes(`${server}: a second converge changed 1: file /etc/shelf/converged-at`), `no failure named ${server}:\n${messages.join('\n')}`);
    }
    assert.ok(!messages.some((m) => m.startsWith('bastion:')), `the bastion does not carry the defect:\n${messages.join('\n')}`);
    assert.equal(leftBehind(report), undefined);
  });

  it('a JavaScript spec Node reads as CommonJS: exit 1 naming the file and the fix; a TypeScript one still loads as ESM', async () => {
    // The same suites under a package.json that says what `npm init` writes by default.
    const cjs = path.join(repo!.dir, 'cjs');
    mkdirSync(cjs);
    writeFileSync(path.join(cjs, 'package.json'), JSON.stringify({ name: 'cjs', type: 'commonjs' }));
    cpSync(path.join(repo!.dir, 'suites'), path.join(cjs, 'suites'), { recursive: true });
    const { code, report } = await run(['--suite', 'build', '--suites-dir', path.join(cjs, 'suites')]);
    const messages = failed(report);
    assert.equal(code, 1, `exit ${code}; failures: ${messages.join('\n')}`);
    const why = /^cjs\/suites\/build\/app\.spec\.js did not load: .*Node reads it as CommonJS: cjs\/package\.json does not say "type": "module"; add it, or name the spec \*\.spec\.mjs\)$/;
    assert.ok(messages.some((m) => why.test(m)), `no failure matched ${why}:\n${messages.join('\n')}`);
    assert.ok(!messages.some((m) => /health\.spec\.ts/.test(m)), `the TypeScript spec did not load as ESM:\n${messages.join('\n')}`);
    assert.equal(leftBehind(report), undefined);
  });
});
