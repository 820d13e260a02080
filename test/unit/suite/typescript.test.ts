import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'mocha';
import { root } from '../../engine/cli.js';

describe('suite/typescript', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-ts-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // `npm init -y` writes "type": "commonjs": a suite there must still load, and load afresh each time.
  for (const type of ['commonjs', 'module']) {
    it(`a TypeScript spec in a "type": "${type}" repository is compiled and imported as an ES module, once per load`, () => {
      const repo = path.join(dir, type);
      mkdirSync(repo);
      writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ type }));
      writeFileSync(path.join(repo, 'helper.ts'), 'export const two: number = 2;\n');
      writeFileSync(path.join(repo, 'a.spec.ts'), "import { two } from './helper.js';\nconst n: number | undefined = two;\nconsole.log('loaded', n! + 1);\n");
      const typescript = pathToFileURL(path.join(root, 'dist/harness/suite/typescript.js')).href;
      const spec = pathToFileURL(path.join(repo, 'a.spec.ts')).href;
      const script = `const { allowTypeScript } = await import('${typescript}'); await allowTypeScript(); await import('${spec}?load=1'); await import('${spec}?load=2');`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'loaded 3\nloaded 3\n');
    });
  }
});
