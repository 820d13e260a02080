import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'mocha';
import { packageRoot } from '../../../harness/paths.js';
import { loadTopology, topologyPath } from '../../../harness/topology/load.js';
import { serverNames, type Catalog } from '../../../harness/topology/validate.js';
import { assertBadInput } from '../assert-bad-input.js';

const catalog: Catalog = { images: ['bastion', 'db', 'lb', 'web'], defects: ['config-file-mode', 'cron-ignored'], versions: ['v1', 'v2'], bases: ['debian-12'] };
const fixture = (f: string) => path.join(packageRoot, 'test', 'fixtures', f);

describe('topology/load', () => {
  it('resolves a bare name to stacks/NAME.yml and a .yml to a path', () => {
    assert.equal(topologyPath('platform'), path.join(packageRoot, 'stacks', 'platform.yml'));
    assert.equal(topologyPath(fixture('minimal.yml')), fixture('minimal.yml'));
  });

  it('loads the default topology by name', () => {
    const t = loadTopology('platform', catalog);
    assert.deepEqual(serverNames(t).map((s) => s.name), ['bastion', 'lb-1', 'web-1', 'web-2', 'db-1']);
    assert.deepEqual(t.roles.db!.volumes.map((v) => v.path), ['/var/lib/postgresql', '/var/backups/platform']);
  });

  it('appends extra defects after those in the file', () => {
    assert.deepEqual(loadTopology(fixture('minimal.yml'), catalog, ['cron-ignored']).defects, ['config-file-mode', 'cron-ignored']);
    assert.deepEqual(loadTopology('platform', catalog, ['cron-ignored']).defects, ['cron-ignored']);
  });

  it('rejects an unknown extra defect against the --defect flag, not the file', () =>
    assertBadInput(() => loadTopology('platform', catalog, ['cron-ignored', 'nope']), /^--defect nope: unknown defect 'nope' \(known: config-file-mode, cron-ignored\)$/));

  it('reports an unknown defect written in the file against the file, even with a good --defect', () =>
    assertBadInput(() => loadTopology(fixture('unknown-defect.yml'), catalog, ['cron-ignored']), /^topology \S*unknown-defect\.yml: defects\.0: unknown defect 'nope'/));

  it('rejects a missing file, naming it', () => assertBadInput(() => loadTopology('no-such-stack', catalog), /topology 'no-such-stack' not found/));

  it('rejects bad YAML in one line', () => assertBadInput(() => loadTopology(fixture('bad-yaml.yml'), catalog), /bad-yaml\.yml: not valid YAML: /));

  it('names the file and the unknown key', () => assertBadInput(() => loadTopology(fixture('unknown-key.yml'), catalog), /unknown-key\.yml: unknown key 'defect'/));
});
