import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { parse } from 'yaml';
import { packageRoot } from '../../../harness/paths.js';
import { serverNames, validateTopology, type Catalog } from '../../../harness/topology/validate.js';
import { assertBadInput } from '../assert-bad-input.js';

const catalog: Catalog = { images: ['bastion', 'db', 'lb', 'web'], defects: ['config-file-mode'], versions: ['v1', 'v2'], bases: ['debian-12'] };

/** A valid raw topology, fresh each time so a case can break one field. */
const base = (): Record<string, any> => ({
  name: 'mini',
  bastion: 'bastion',
  roles: { bastion: { image: 'bastion', count: 1, publish: [22] }, web: { image: 'web', count: 2 } },
});

const broken = (edit: (t: Record<string, any>) => void) => () => {
  const t = base();
  edit(t);
  return validateTopology(t, catalog, 'mini.yml');
};

describe('topology/validate', () => {
  it('accepts the real default topology stacks/platform.yml', () => {
    const raw = parse(readFileSync(path.join(packageRoot, 'stacks', 'platform.yml'), 'utf8'));
    const t = validateTopology(raw, catalog, 'stacks/platform.yml');
    assert.equal(t.bastion, 'bastion');
    assert.deepEqual(Object.keys(t.roles).sort(), ['bastion', 'db', 'lb', 'web']);
    assert.deepEqual(t.roles.web!.publish, [], 'publish defaults to []');
    assert.deepEqual(t.defects, []);
  });

  it('applies defaults to a minimal topology', () => {
    const t = validateTopology(base(), catalog, 'mini.yml');
    assert.equal(t.version, 'v1');
    assert.deepEqual(t.roles.web!.volumes, []);
    assert.deepEqual(t.roles.web!.invariants, []);
  });

  it('keeps a role\'s invariants in order', () => {
    const invariants = [
      { name: 'nginx runs', command: 'systemctl is-active --quiet nginx' },
      { name: 'site answers', command: 'curl -fsS http://localhost/health' },
    ];
    const t = validateTopology({ ...base(), roles: { ...base().roles, web: { image: 'web', count: 1, invariants } } }, catalog, 'mini.yml');
    assert.deepEqual(t.roles.web!.invariants, invariants);
  });

  it('every role of the real stacks declares invariants', () => {
    for (const stack of ['platform.yml', 'platform-ha.yml']) {
      const raw = parse(readFileSync(path.join(packageRoot, 'stacks', stack), 'utf8'));
      const t = validateTopology(raw, { ...catalog, images: [...catalog.images, 'replica'] }, `stacks/${stack}`);
      for (const [name, role] of Object.entries(t.roles)) assert.ok(role.invariants.length > 0, `${stack}: role ${name} has no invariants`);
    }
  });

  describe('rejects bad input with a one-line message naming the field', () => {
    it('unknown top-level key', () => assertBadInput(broken((t) => (t.colour = 'red')), /mini\.yml: unknown key 'colour'/));
    it('unknown key inside a role', () => assertBadInput(broken((t) => (t.roles.web.replicas = 3)), /roles\.web: unknown key 'replicas'/));
    it('bastion names a missing role', () => assertBadInput(broken((t) => (t.bastion = 'jump')), /bastion: names role 'jump'/));
    it('bastion count 2', () => assertBadInput(broken((t) => (t.roles.bastion.count = 2)), /roles\.bastion\.count: .*exactly 1/));
    it('count 0', () => assertBadInput(broken((t) => (t.roles.web.count = 0)), /roles\.web\.count: must be at least 1/));
    it('unknown image', () => assertBadInput(broken((t) => (t.roles.web.image = 'nginx')), /roles\.web\.image: unknown image 'nginx'/));
    it('publish on a non-bastion role', () => assertBadInput(broken((t) => (t.roles.web.publish = [80])), /roles\.web\.publish:/));
    it('unknown defect', () => assertBadInput(broken((t) => (t.defects = ['config-file-mode', 'nope'])), /defects\.1: unknown defect 'nope'/));
    it('two volumes on one path', () =>
      assertBadInput(broken((t) => (t.roles.web.volumes = [{ name: 'a', path: '/srv' }, { name: 'b', path: '/srv' }])), /roles\.web\.volumes:/));
    it('invariant with an empty name', () =>
      assertBadInput(broken((t) => (t.roles.web.invariants = [{ name: '', command: 'true' }])), /roles\.web\.invariants\.0\.name: must not be empty/));
    it('invariant with a blank command', () =>
      assertBadInput(broken((t) => (t.roles.web.invariants = [{ name: 'ok', command: '  ' }])), /roles\.web\.invariants\.0\.command: must not be empty/));
    it('invariant without a command', () =>
      assertBadInput(broken((t) => (t.roles.web.invariants = [{ name: 'ok' }])), /roles\.web\.invariants\.0\.command: /));
    it('unknown key in an invariant', () =>
      assertBadInput(broken((t) => (t.roles.web.invariants = [{ name: 'ok', command: 'true', sudo: true }])), /roles\.web\.invariants\.0: unknown key 'sudo'/));
    it('invariants not a list', () =>
      assertBadInput(broken((t) => (t.roles.web.invariants = 'systemctl is-active nginx')), /roles\.web\.invariants: /));
    it('two invariants of a role with one name', () =>
      assertBadInput(
        broken((t) => (t.roles.web.invariants = [{ name: 'up', command: 'true' }, { name: 'other', command: 'true' }, { name: 'up', command: 'false' }])),
        /roles\.web\.invariants\.2\.name: 'up' is used twice/,
      ));
    it('not an object at all', () => assertBadInput(() => validateTopology(null, catalog, 'mini.yml'), /mini\.yml: \(top level\)/));
  });

  it('serverNames: the bastion alone, other roles numbered from 1', () => {
    const t = validateTopology({ ...base(), roles: { ...base().roles, lb: { image: 'lb', count: 1 } } }, catalog, 'mini.yml');
    assert.deepEqual(serverNames(t), [
      { name: 'bastion', role: 'bastion' },
      { name: 'web-1', role: 'web' },
      { name: 'web-2', role: 'web' },
      { name: 'lb-1', role: 'lb' },
    ]);
  });
});
