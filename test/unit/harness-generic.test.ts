import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { parse } from 'yaml';
import { packageRoot } from '../../harness/paths.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** What only the example platform knows: read from its own project file, so a new role is covered too. */
function platformWords(): RegExp[] {
  const p = parse(readFileSync(path.join(packageRoot, 'shakedown.yml'), 'utf8')) as { roles: string[]; versions: string[]; converge: { source: string } };
  const roles = p.roles.filter((r) => r !== 'bastion'); // the bastion is the harness's own concept
  return [
    ...roles.map((r) => new RegExp(`\\b${r}(-\\d)?\\b`)),
    ...p.versions.map((v) => new RegExp(`\\b${v}\\b`)),
    new RegExp(p.converge.source.replace('/', '\\/')),
    /\bplatform\b/i,
    /stacks\//,
    /apply\.sh|haproxy|nginx|postgres|pg_isready|php/i,
  ];
}

describe('harness/ is generic', () => {
  it('names no path, role or version of the example platform', () => {
    const words = platformWords();
    const hits = tsFiles(path.join(packageRoot, 'harness')).flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').flatMap((line, i) =>
        words.filter((w) => w.test(line)).map((w) => `${path.relative(packageRoot, file)}:${i + 1}: ${w} in: ${line.trim()}`),
      ),
    );
    assert.deepEqual(hits, []);
  });
});
