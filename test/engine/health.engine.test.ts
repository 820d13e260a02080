import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { RunningEnvironment } from '../../harness/environment/environment.js';
import { launchEnvironment } from '../../harness/environment/launch.js';
import { catalog } from '../../harness/images/catalog.js';
import { DockerProvider } from '../../harness/provider/docker/docker-provider.js';
import { checkHealth, healthBaseline, type HealthBaseline } from '../../harness/run/health.js';
import { setSuitesDir } from '../../harness/suite/discover.js';
import { planUnits } from '../../harness/suite/plan.js';
import { runUnit, type UnitRun } from '../../harness/suite/runner.js';
import { loadTopology } from '../../harness/topology/load.js';
import { nothingLabelled, root } from './cli.js';

const RUN = 'rtest-health';

/** A fresh environment of test/fixtures/gate.yml for the enclosing block, and its health baseline. */
function launched(): { env: () => RunningEnvironment; baseline: () => HealthBaseline } {
  let env: RunningEnvironment | undefined;
  let baseline: HealthBaseline | undefined;
  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'gate.yml'), catalog());
    env = await launchEnvironment({ topology, provider: new DockerProvider(), run: RUN, worker: 0, keep: false, ttlMs: 600_000 });
    baseline = await healthBaseline(env);
  });
  after(() => env?.destroy());
  return { env: () => env!, baseline: () => baseline! };
}

/** Runs one unit of the fixture suites (e.g. 'healthy/disk', 'stop-db') the way a worker does, quietly. */
function unit(name: string, env: RunningEnvironment): Promise<UnitRun> {
  const found = planUnits(name.split('/')[0]!).find((u) => u.name === name);
  assert.ok(found, `no unit '${name}' in test/fixtures/suites`);
  return runUnit(found, env, { reporter: 'base' });
}

const tests = (r: UnitRun) => r.results.flatMap((s) => s.tests);
const failedTitles = (r: UnitRun) => tests(r).filter((t) => t.state === 'failed').map((t) => t.title);

/** Each suite breaks a fresh environment; the gate must say how, and the healthy spec named must fail on it. */
const breakages: { suite: string; reasons: RegExp[]; failsHealthy: string; timeoutMs?: number }[] = [
  {
    suite: 'kill-sshd',
    reasons: [
      /^web-1: unreachable through the bastion: its connection no longer runs commands \(.+\)$/,
      /^web-1: unreachable through the bastion: a fresh SSH connection failed \(.*Connection refused.*\)$/,
    ],
    failsHealthy: 'healthy/reachable',
  },
  {
    suite: 'stop-db',
    reasons: [
      /^db-1: invariant 'postgresql runs' failed: systemctl is-active --quiet postgresql@15-main exited 3$/,
      /^db-1: invariant 'postgres accepts connections' failed: pg_isready -q exited 2$/,
    ],
    failsHealthy: 'healthy/database',
  },
  { suite: 'fill-disk', reasons: [/^web-1: \/run is 100% full$/], failsHealthy: 'healthy/disk' },
  {
    suite: 'cut-network',
    reasons: [
      /^web-1: unreachable through the bastion: its connection no longer runs commands \(.*did not start .*within 4000 ms\)$/,
      /^web-1: unreachable through the bastion: a fresh SSH connection failed \(.+\)$/,
    ],
    failsHealthy: 'healthy/network',
    timeoutMs: 4000,
  },
];

describe('engine: the health gate', function () {
  this.timeout(120_000);
  before(() => setSuitesDir(path.join('test', 'fixtures', 'suites')));
  after(() => setSuitesDir(undefined));

  describe('on a fresh environment', () => {
    const e = launched();

    it('finds nothing wrong, and takes well under a second per server', async () => {
      assert.deepEqual(e.baseline().failedUnits, { bastion: [], 'web-1': [], 'db-1': [] });
      const verdict = await checkHealth(e.env(), e.baseline());
      assert.deepEqual(verdict.reasons, []);
      assert.equal(verdict.healthy, true);
      assert.ok(verdict.ms < 3000, `the gate took ${verdict.ms} ms`);
    });

    it('every unit of the healthy suite passes', async () => {
      const units = planUnits('healthy').map((u) => u.name);
      assert.deepEqual(units, ['healthy/database', 'healthy/disk', 'healthy/network', 'healthy/reachable']);
      for (const name of units) {
        const r = await unit(name, e.env());
        assert.deepEqual(failedTitles(r), [], name);
        assert.ok(tests(r).length > 0, `${name} ran no tests`);
      }
    });

    it('a unit that declares its environment broken says why, even though the gate sees nothing wrong', async () => {
      const r = await unit('declares-broken', e.env());
      assert.deepEqual(failedTitles(r), []);
      assert.equal(r.broken, 'stopped cron on web-1, which no invariant checks');
      assert.equal((await checkHealth(e.env(), e.baseline())).healthy, true);
    });

    it('counts only systemd units that failed after the baseline', async () => {
      const web = e.env().server('web-1');
      // --wait: back once the service has run, and failed (the exit code is false's, hence sudo, not must).
      await web.sudo('systemd-run --wait --quiet --unit=shakedown-gate-probe false');
      const failed = await checkHealth(e.env(), e.baseline());
      assert.deepEqual(failed.reasons, ['web-1: systemd units failed since launch: shakedown-gate-probe.service']);
      const accepted = { failedUnits: { ...e.baseline().failedUnits, 'web-1': ['shakedown-gate-probe.service'] } };
      assert.deepEqual((await checkHealth(e.env(), accepted)).reasons, []);
    });
  });

  for (const b of breakages) {
    describe(`after the ${b.suite} suite`, () => {
      const e = launched();

      it('the unit passes without declaring anything broken', async () => {
        const r = await unit(b.suite, e.env());
        assert.deepEqual(failedTitles(r), []);
        assert.equal(r.broken, undefined);
      });

      it('the gate says the environment is unhealthy, and why', async () => {
        const verdict = await checkHealth(e.env(), e.baseline(), { timeoutMs: b.timeoutMs });
        assert.equal(verdict.healthy, false);
        assert.equal(verdict.reasons.length, b.reasons.length, verdict.reasons.join('\n'));
        b.reasons.forEach((re, i) => assert.match(verdict.reasons[i]!, re));
        if (b.timeoutMs) assert.ok(verdict.ms < b.timeoutMs + 1500, `with a server cut off, the gate took ${verdict.ms} ms (budget ${b.timeoutMs})`);
      });

      it(`${b.failsHealthy} fails on it`, async () => {
        const r = await unit(b.failsHealthy, e.env());
        assert.ok(failedTitles(r).length > 0, `${b.failsHealthy} passed after ${b.suite}`);
      });
    });
  }

  describe('afterwards', () => {
    it('leaves nothing labelled with its run', () => assert.equal(nothingLabelled(`shakedown.run=${RUN}`), undefined));
  });
});
