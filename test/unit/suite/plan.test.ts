import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { setSuitesDir } from '../../../harness/suite/discover.js';
import { planUnit, planUnits, type Step, type Unit } from '../../../harness/suite/plan.js';
import { assertBadInput } from '../assert-bad-input.js';
import { isolatedTmpdir } from '../isolated-tmpdir.js';

describe('suite/plan', () => {
  it('a plain suite is one step named after it', () => {
    const unit = planUnit('build');
    assert.deepEqual(unit.steps.map((s) => [s.kind, s.phase]), [['specs', 'build']]);
    assert.ok(unit.steps[0]!.kind === 'specs' && unit.steps[0]!.files.every((f) => f.endsWith('.spec.ts')));
  });

  it('a lifecycle suite expands into before, action, the re-run suites and after, each its own phase', () => {
    const unit = planUnit('reboot');
    assert.deepEqual(unit.steps.map((s) => s.phase), [
      'reboot: before',
      'reboot: action',
      'build after reboot',
      'functional after reboot',
      'application after reboot',
      'reboot: after',
    ]);
    const action = unit.steps[1]!;
    assert.ok(action.kind === 'action' && action.action === 'reboot');
    const before = unit.steps[0]!;
    assert.ok(before.kind === 'specs' && before.files.every((f) => f.endsWith('.before.spec.ts')));
  });

  it('splits a plain suite into one unit per spec file, and keeps a lifecycle suite whole', () => {
    const functional = planUnits('functional');
    assert.deepEqual(functional.map((u) => u.name), ['functional/backup-restore', 'functional/load-balancing', 'functional/self-healing']);
    assert.ok(functional.every((u) => u.steps.length === 1 && u.steps[0]!.kind === 'specs' && u.steps[0]!.files.length === 1));
    assert.deepEqual(planUnits('idempotence').map((u) => [u.name, u.steps.length]), [['idempotence', planUnit('idempotence').steps.length]]);
  });

  it('carries what a suite declares it breaks', () => {
    assert.match(planUnit('failover').breaks ?? '', /replica promoted/);
    assert.equal(planUnit('reboot').breaks, undefined);
  });
});

describe('suite/plan: modes and topologies', () => {
  const box = isolatedTmpdir();
  /** A suites folder of one lifecycle suite `cycle` (a before, a between and an after spec) with this suite.json. */
  const suitesWith = (manifest: object): void => {
    const dir = path.join(box.dir, `suites-${Math.random().toString(36).slice(2)}`);
    mkdirSync(path.join(dir, 'cycle'), { recursive: true });
    mkdirSync(path.join(dir, 'plain'), { recursive: true });
    writeFileSync(path.join(dir, 'cycle', 'suite.json'), JSON.stringify(manifest));
    for (const f of ['cycle/note.before.spec.ts', 'cycle/lb.between.spec.ts', 'cycle/data.spec.ts', 'plain/a.spec.ts']) writeFileSync(path.join(dir, f), '');
    setSuitesDir(dir);
  };
  after(() => setSuitesDir(undefined));
  const action = (u: Unit) => u.steps.find((s) => s.kind === 'action') as Extract<Step, { kind: 'action' }>;

  it('one unit per topology and mode, named after what differs from the first topology and mode all', () => {
    suitesWith({ action: 'reboot', modes: ['all', 'rolling'], topologies: ['small', 'big'], count: 3, then: ['plain'] });
    const units = planUnits('cycle');
    assert.deepEqual(units.map((u) => [u.name, u.topology, action(u).mode, action(u).count]), [
      ['cycle', 'small', 'all', 3],
      ['cycle/rolling', 'small', 'rolling', 3],
      ['cycle@big', 'big', 'all', 3],
      ['cycle/rolling@big', 'big', 'rolling', 3],
    ]);
  });

  it('the between specs run only between servers of a rolling action, never as the suite\'s after phase', () => {
    suitesWith({ action: 'relaunch', modes: ['all', 'rolling'] });
    const [all, rolling] = planUnits('cycle');
    assert.equal(action(all!).between, undefined);
    assert.deepEqual(action(rolling!).between?.map((f) => path.basename(f)), ['lb.between.spec.ts']);
    for (const u of [all!, rolling!]) {
      const files = u.steps.flatMap((s) => (s.kind === 'specs' ? s.files.map((f) => path.basename(f)) : []));
      assert.deepEqual(files, ['note.before.spec.ts', 'data.spec.ts']);
    }
  });

  it('a suite without modes or topologies is one unit as before, its action without a mode', () => {
    suitesWith({ action: 'reboot', topology: 'big' });
    const units = planUnits('cycle');
    assert.deepEqual(units.map((u) => [u.name, u.topology, action(u).mode]), [['cycle', 'big', undefined]]);
  });

  const refused: [string, object, RegExp][] = [
    ['an unknown mode', { action: 'reboot', modes: ['all', 'sideways'] }, /cycle\/suite\.json: modes\.1: .*"all"\|"rolling"/],
    ['modes on an action of the suite\'s own', { action: './action.js', modes: ['rolling'] }, /cycle\/suite\.json: modes: only the built-in reboot and relaunch actions take modes \(this suite's action is '\.\/action\.js'\); remove it/],
    ['modes without an action', { modes: ['rolling'] }, /modes: only the built-in .* \(this suite's action is none\)/],
    ['a count on relaunch', { action: 'relaunch', count: 2 }, /count: only the built-in reboot action takes a count \(this suite's action is 'relaunch'\)/],
    ['a count of 0', { action: 'reboot', count: 0 }, /count: /],
    ['both topology and topologies', { action: 'reboot', topology: 'a', topologies: ['a', 'b'] }, /topology and topologies: name one topology, or a list under topologies, not both/],
    ['a mode listed twice', { action: 'reboot', modes: ['rolling', 'rolling'] }, /modes: 'rolling' is listed twice/],
    ['a topology listed twice', { action: 'reboot', topologies: ['a', 'a'] }, /topologies: 'a' is listed twice/],
  ];
  for (const [what, manifest, message] of refused) {
    it(`refuses ${what} in one line`, () => {
      suitesWith(manifest);
      assertBadInput(() => planUnits('cycle'), message);
    });
  }
});
