import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { runAhead } from './ahead.js';
import { nothingLabelled } from './cli.js';
import { failedTitles, fixtureRun, nextOnWorker, removeFixtureDirs, unit } from './fixture-run.js';

const gate = ['--topology', 'test/fixtures/gate.yml', '--order', 'given'];

/** Each breaker, and what the health gate (or the unit itself) must say about it. */
const breakers: [string, RegExp][] = [
  ['kill-sshd', /^health gate: .*web-1: unreachable/],
  ['stop-db', /^health gate: .*db-1: invariant/],
  ['fill-disk', /^health gate: .*web-1: \/run is \d+% full/],
  ['cut-network', /^health gate: .*web-1: unreachable/],
  ['declares-broken', /^marked at run time: /],
];

describe('self-destruct: a unit that breaks its environment costs the units after it nothing', function () {
  this.timeout(600_000);
  // Two runs at a time; the last argument set is the one without the gate.
  let runs: Map<string, ReturnType<typeof fixtureRun>>;
  before(() => {
    runs = runAhead([...breakers.map(([name]) => name), 'no-gate'], 2, (name) =>
      name === 'no-gate'
        ? fixtureRun(['--suite', 'kill-sshd,healthy', '--workers', '1', '--no-gate', ...gate])
        : fixtureRun(['--suite', `${name},healthy`, '--workers', '1', ...gate]),
    );
  });
  // The runs' folders, once every run has ended.
  after(removeFixtureDirs);

  for (const [name, reason] of breakers) {
    it(`${name}: caught and replaced; the units after it on the same worker pass on a fresh environment`, async () => {
      const r = await runs.get(name)!;
      assert.equal(r.code, 0, `${r.report.units.map((u) => `${u.unit}: ${u.outcome} ${failedTitles(u).join('; ')}`).join('\n')}\n${r.stderr.slice(-1500)}`);
      const broken = unit(r.report, name).attempts.at(-1)!;
      assert.match(broken.broke ?? '(not reported broken)', reason);
      const next = nextOnWorker(r.report, name);
      assert.ok(next, `nothing ran after ${name}`);
      const after = r.report.units.filter((u) => u.suite === 'healthy');
      assert.deepEqual(after.map((u) => [u.unit, u.outcome]), after.map((u) => [u.unit, 'passed']));
      assert.ok(after.every((u) => u.attempts.at(-1)!.worker === broken.worker && u.attempts.at(-1)!.env !== broken.env));
      const env = r.report.environments.find((e) => e.id === broken.env)!;
      assert.match(env.fate ?? '', new RegExp(`^${name} broke it`));
      assert.equal(r.report.environments.length, 2, 'the broken environment and its one replacement');
      assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
    });
  }

  it('without the gate, the same breakage fails the units after it (so the test above can fail)', async () => {
    const r = await runs.get('no-gate')!;
    assert.equal(r.code, 1);
    assert.equal(unit(r.report, 'kill-sshd').outcome, 'passed');
    assert.equal(unit(r.report, 'healthy/reachable').outcome, 'failed');
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });
});
