import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Mocha, { after, describe, it } from 'mocha';
import type { RunningEnvironment } from '../../../harness/environment/environment.js';
import { setSuitesDir } from '../../../harness/suite/discover.js';
import type { Unit } from '../../../harness/suite/plan.js';
import { loadFailure, moduleScope, runUnit } from '../../../harness/suite/runner.js';

describe('suite/runner', () => {
  const spec = (name: string) => path.join(process.cwd(), 'suites', 'build', name);
  const esm = { packageJson: path.join(process.cwd(), 'package.json'), esm: true };
  const cjs = { packageJson: path.join(process.cwd(), 'package.json'), esm: false };
  const parseError = new SyntaxError('Cannot use import statement outside a module');

  it('says why a spec file did not load, naming it relative to the project', () => {
    assert.equal(loadFailure(spec('app.spec.ts'), new Error("Cannot find package 'nope'"), esm), "suites/build/app.spec.ts did not load: Cannot find package 'nope'");
  });

  it('says how to fix a .js spec that Node reads as CommonJS', () => {
    assert.equal(
      loadFailure(spec('app.spec.js'), parseError, cjs),
      'suites/build/app.spec.js did not load: Cannot use import statement outside a module (Node reads it as CommonJS: package.json does not say "type": "module"; add it, or name the spec *.spec.mjs)',
    );
    assert.match(loadFailure(spec('app.spec.js'), parseError, { esm: false }), /no package\.json says "type": "module"/);
  });

  it('gives no such hint for .ts specs (always loaded as ES modules), .mjs and .mts specs, or in an ESM package', () => {
    assert.doesNotMatch(loadFailure(spec('health.spec.ts'), new SyntaxError("Unexpected identifier 'AllowedLine'"), cjs), /CommonJS/);
    assert.doesNotMatch(loadFailure(spec('app.spec.mjs'), parseError, cjs), /CommonJS/);
    assert.doesNotMatch(loadFailure(spec('app.spec.mts'), parseError, cjs), /CommonJS/);
    assert.doesNotMatch(loadFailure(spec('app.spec.js'), parseError, esm), /CommonJS/);
  });

  describe('moduleScope', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-scope-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the nearest package.json', () => {
      mkdirSync(path.join(dir, 'suites', 'build'), { recursive: true });
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      assert.deepEqual(moduleScope(path.join(dir, 'suites', 'build', 'a.spec.js')), { packageJson: path.join(dir, 'package.json'), esm: true });
      writeFileSync(path.join(dir, 'suites', 'package.json'), JSON.stringify({ type: 'commonjs' }));
      assert.deepEqual(moduleScope(path.join(dir, 'suites', 'build', 'a.spec.js')), { packageJson: path.join(dir, 'suites', 'package.json'), esm: false });
    });
  });

  describe('runUnit', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-actions-'));
    after(() => {
      setSuitesDir(undefined);
      rmSync(dir, { recursive: true, force: true });
    });
    // Each test its own module: an imported module stays in Node's cache.
    const unitWith = (file: string, action: string): Unit => {
      mkdirSync(path.join(dir, 'x'), { recursive: true });
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(path.join(dir, 'x', file), action);
      setSuitesDir(dir);
      return { name: 'x', suite: 'x', steps: [{ kind: 'action', suite: 'x', phase: 'x: action', action: `./${file}` }, { kind: 'specs', suite: 'x', phase: 'x: after', files: [] }] };
    };
    const env = () => ({ unitWindows: [] }) as unknown as RunningEnvironment;

    it('an action that stops half-way marks the environment broken (the worker replaces it) and skips the rest of the unit', async () => {
      const u = unitWith('stops.js', "export async function action(env, record) { await record('web-1 relaunched', async () => { throw new Error('web-1 not back'); }); }");
      const r = await runUnit(u, env(), { reporter: Mocha.reporters.Base });
      assert.equal(r.broken, 'its action did not complete (x: action failed: web-1 not back)');
      assert.deepEqual(r.results.map((p) => p.tests.map((t) => `${t.state} ${t.title}`)), [['failed web-1 relaunched'], ['skipped not run']]);
    });

    it('an action that completes leaves the environment to the health gate', async () => {
      const u = unitWith('completes.js', "export async function action(env, record) { await record('web-1 relaunched', async () => {}); }");
      assert.equal((await runUnit(u, env(), { reporter: Mocha.reporters.Base })).broken, undefined);
    });
  });
});
