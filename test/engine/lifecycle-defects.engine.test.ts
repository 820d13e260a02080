import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { defects } from '../../harness/project/index.js';
import { nothingLabelled } from './cli.js';
import { RACES } from './races.js';
import { failuresByPhase, suiteRun } from './runs.js';

/** For each defect: the phase that must fail, what its failure must say, and the topology if not the default. */
const symptoms: Record<string, { phase: RegExp; message: RegExp; topology?: string }> = {
  'backup-unusable': { phase: /^functional$/, message: /platform-restore failed|restored database lacks/ },
  'lb-no-health-check': { phase: /^functional$/, message: /through the LB with web-1 down: .*(503|502)/ },
  'not-started-at-boot': { phase: /^build after reboot$/, message: /service php8\.2-fpm: is (inactive|failed)/ },
  'data-outside-volume': { phase: /^relaunch: after$/, message: /the note written before the relaunch is gone from db-1/ },
  'upgrade-breaks-v1-state': { phase: /^upgrade: action$/, message: /db-1: converging role db with '\.\/apply\.sh' failed/ },
  'lb-check-static': { phase: /^functional$/, message: /the LB taking web-1 out with php8\.2-fpm down: not within \d+ s; last 16 requests: .*502 from web-1/ },
  'replica-not-streaming': { phase: /^reboot: after$/, message: /^replica-1: streaming from db-1 after the reboot: not within 30 s \(WAL receiver: no WAL receiver, in recovery: true\)/, topology: 'platform-ha' },
  'config-stamped': { phase: /^idempotence: action$/, message: /^web-1: a second converge changed 2: web : nginx site; web : Reload nginx$/ },
};

describe('engine: each lifecycle suite fails for the defect it exists to catch, which the build suite cannot see', function () {
  this.timeout(600_000);
  const registry = defects();

  it('every defect of a lifecycle suite has a symptom to look for (races are caught with --repeat, in race.engine.test.ts)', () => {
    const lifecycle = Object.keys(registry).filter((d) => registry[d]!.suite !== 'build' && !(d in RACES));
    assert.deepEqual(lifecycle.sort(), Object.keys(symptoms).sort());
  });

  for (const [defect, want] of Object.entries(symptoms)) {
    it(`${defect}: build passes on a fresh launch, ${registry[defect]?.suite ?? '?'} fails naming the symptom`, async () => {
      const suite = registry[defect]!.suite;
      const { code, summary } = await suiteRun(`build,${suite}`, [defect], want.topology ? ['--topology', want.topology] : []);
      const byPhase = failuresByPhase(summary);
      const report = JSON.stringify(byPhase, null, 1);
      assert.equal(code, 1, `exit ${code} (${summary.error ?? ''}); failures: ${report}`);
      assert.equal(byPhase['build'], undefined, `the build suite saw the ${defect} defect on a fresh launch: ${report}`);
      const phase = Object.keys(byPhase).find((p) => want.phase.test(p));
      assert.ok(phase, `no failure in a phase matching ${want.phase}: ${report}`);
      assert.ok(byPhase[phase]!.some((m) => want.message.test(m)), `no failure in ${phase} matched ${want.message}: ${report}`);
      // What this run made, by its label: another process may be using the engine meanwhile.
      assert.equal(nothingLabelled(`shakedown.run=${summary.run}`), undefined);
    });
  }
});
