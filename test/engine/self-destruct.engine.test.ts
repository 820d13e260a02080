import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { nothingLabelled } from './cli.js';
import { failedTitles, fixtureRun, nextOnWorker, unit } from './fixture-run.js';

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

  it('each breakage is caught, the environment replaced, and the next unit on that worker passes on a fresh one', async () => {
    const r = await fixtureRun(['--suite', `${breakers.map(([b]) => b).join(',')},healthy`, '--workers', '2', ...gate]);
    assert.equal(r.code, 0, `${r.report.units.map((u) => `${u.unit}: ${u.outcome} ${failedTitles(u).join('; ')}`).join('\n')}\n${r.stderr.slice(-1500)}`);
    for (const [name, reason] of breakers) {
      const u = unit(r.report, name);
      const broken = u.attempts.at(-1)!;
      assert.match(broken.broke ?? '(not reported broken)', reason, name);
      const next = nextOnWorker(r.report, name);
      assert.ok(next, `nothing ran on worker ${broken.worker} after ${name}`);
      assert.equal(next.outcome, 'passed', `${next.unit} after ${name}: ${failedTitles(next).join('; ')}`);
      assert.notEqual(next.attempts.at(-1)!.env, broken.env, `${next.unit} ran on the environment ${name} broke`);
      const env = r.report.environments.find((e) => e.id === broken.env)!;
      assert.match(env.fate ?? '', new RegExp(`^${name} broke it`));
    }
    assert.deepEqual(r.report.units.filter((u) => u.suite === 'healthy').map((u) => u.outcome), ['passed', 'passed', 'passed', 'passed']);
    assert.ok(new Set(r.report.units.map((u) => u.attempts.at(-1)!.worker)).size === 2, 'both workers ran units');
    assert.ok(r.report.makespanMs > 0 && r.report.lowerBoundMs > 0 && r.report.makespanMs >= r.report.lowerBoundMs);
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });

  it('without the gate, the same breakage fails the units after it (so the test above can fail)', async () => {
    const r = await fixtureRun(['--suite', 'kill-sshd,healthy', '--workers', '1', '--no-gate', ...gate]);
    assert.equal(r.code, 1);
    assert.equal(unit(r.report, 'kill-sshd').outcome, 'passed');
    assert.equal(unit(r.report, 'healthy/reachable').outcome, 'failed');
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });
});
