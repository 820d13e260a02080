import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import { defects } from '../../harness/project/index.js';
import { nothingLabelled } from './cli.js';
import { runAhead } from './ahead.js';
import { RACES } from './races.js';
import { failuresByPhase, suiteRun } from './runs.js';

interface Symptom {
  /** The units to run (`--suite`), by default `build,SUITE`: one unit of a many-unit suite keeps the test short. */
  run?: string;
  /** The phase that must fail, and what its failure must say. */
  phase: RegExp;
  message: RegExp;
  /** For a defect only some units of a suite can catch (a mode, a topology): which pass with it and which fail. */
  units?: { passed: string[]; failed: string[] };
}

const symptoms: Record<string, Symptom> = {
  'backup-unusable': { phase: /^functional$/, message: /platform-restore failed|restored database lacks/ },
  'lb-no-health-check': { phase: /^functional$/, message: /through the LB with web-1 down: .*(503|502)/ },
  // functional's whole-node test passes with it: with nginx down the static check fails too.
  'lb-check-static': {
    run: 'build,component-faults,functional/load-balancing',
    phase: /^component-faults$/,
    units: { passed: ['functional/load-balancing'], failed: ['component-faults'] },
    message: /the LB taking web-1 out with php8\.2-fpm down: not within \d+ s; last 16 requests: .*502 from web-1/,
  },
  'not-started-at-boot': { run: 'build,reboot/all@platform', phase: /^build after reboot$/, message: /service php8\.2-fpm: is (inactive|failed)/ },
  'replica-not-streaming': {
    run: 'build,reboot/all@platform-ha',
    phase: /^reboot: after$/,
    message: /^replica-1: streaming from db-1 after the reboot: not within 30 s \(WAL receiver: no WAL receiver, in recovery: true\)/,
  },
  'data-outside-volume': { run: 'build,relaunch/all@platform', phase: /^relaunch: action$|^relaunch: after$/, message: /the note written before the relaunch is gone from db-1/ },
  // Relaunching everything at once re-creates the lb too, which then finds the web nodes' new addresses.
  'lb-resolves-once': {
    run: 'build,relaunch@platform',
    phase: /^relaunch: action$/,
    message: /^web-1 \([\d.]+\) not UP in the load balancer within 30 s; its web servers: .*web\d [\d.]+ DOWN/,
    units: { passed: ['relaunch'], failed: ['relaunch/rolling'] },
  },
  'upgrade-breaks-v1-state': { phase: /^upgrade: action$/, message: /db-1: converging role db with '\.\/apply\.sh' failed/ },
  'config-stamped': { phase: /^idempotence: action$/, message: /^web-1: a second converge changed 2: web : nginx site; web : Reload nginx$/ },
};

describe('engine: each lifecycle suite fails for the defect it exists to catch, which the build suite cannot see', function () {
  // A test waits for its run, which may wait for two runs ahead of it.
  this.timeout(900_000);
  const registry = defects();
  // Two runs at a time (each on 2 workers): one run's waits, e.g. a check's 30 s window running out, overlap another's work.
  let runs: Map<string, ReturnType<typeof suiteRun>>;
  before(() => {
    runs = runAhead(Object.keys(symptoms), 2, (d) => suiteRun(symptoms[d]!.run ?? `build,${registry[d]!.suite}`, [d], ['--workers', '2']));
  });

  it('every defect of a lifecycle suite has a symptom to look for (races are caught with --repeat, in race.engine.test.ts)', () => {
    const lifecycle = Object.keys(registry).filter((d) => registry[d]!.suite !== 'build' && !(d in RACES));
    assert.deepEqual(lifecycle.sort(), Object.keys(symptoms).sort());
  });

  for (const [defect, want] of Object.entries(symptoms)) {
    it(`${defect}: build passes on a fresh launch, ${registry[defect]?.suite ?? '?'} fails naming the symptom`, async () => {
      const { code, summary } = await runs.get(defect)!;
      const byPhase = failuresByPhase(summary);
      const report = JSON.stringify(byPhase, null, 1);
      assert.equal(code, 1, `exit ${code} (${summary.error ?? ''}); failures: ${report}`);
      assert.equal(byPhase['build'], undefined, `the build suite saw the ${defect} defect on a fresh launch: ${report}`);
      const phase = Object.keys(byPhase).find((p) => want.phase.test(p));
      assert.ok(phase, `no failure in a phase matching ${want.phase}: ${report}`);
      assert.ok(byPhase[phase]!.some((m) => want.message.test(m)), `no failure in ${phase} matched ${want.message}: ${report}`);
      // A unit whose action stopped half-way leaves no environment for the units after it.
      const stoppedAt = summary.units.filter((u) => u.attempts.at(-1)?.phases.some((p) => p.phase === phase && /: action$/.test(p.phase) && p.tests.some((t) => t.state === 'failed')));
      for (const u of stoppedAt) assert.ok(u.attempts.at(-1)!.broke, `${u.unit} failed in ${phase}, and its environment was kept for the next unit`);
      if (want.units) {
        const outcome = (u: string) => summary.units.find((x) => x.unit === u)?.outcome;
        assert.deepEqual([...want.units.passed, ...want.units.failed].map(outcome), [...want.units.passed.map(() => 'passed'), ...want.units.failed.map(() => 'failed')], report);
      }
      // What this run made, by its label: another process may be using the engine meanwhile.
      assert.equal(nothingLabelled(`shakedown.run=${summary.run}`), undefined);
    });
  }
});
