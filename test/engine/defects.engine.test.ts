import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import { defects } from '../../harness/project/index.js';
import { buildRun, failures } from './runs.js';
import { nothingLabelled } from './cli.js';
import { runAhead } from './ahead.js';

/** What the build suite must say for each known defect it exists to catch. */
const symptoms: Record<string, RegExp> = {
  'config-file-mode': /web-\d: file \/etc\/platform\/app\.ini: mode is 644, expected 640/,
  'daemon-not-running': /db-1: service cron: is inactive, expected active; is disabled at boot, expected enabled/,
  'cron-ignored': /db-1: cron job \/platform-backup\/: cron ignores \/etc\/cron\.d\/platform\.backup: names in \/etc\/cron\.d may hold only/,
  'syslog-error': /web-\d: errors logged since .*(journal|syslog): .*platform/,
};

describe('engine: the build suite fails for each known defect it exists to catch', function () {
  this.timeout(480_000);
  const buildDefects = Object.entries(defects()).filter(([, d]) => d.suite === 'build').map(([name]) => name);
  // Two runs at a time: each is mostly launching and waiting on one worker.
  let runs: Map<string, ReturnType<typeof buildRun>>;
  before(() => {
    runs = runAhead(Object.keys(symptoms), 2, (d) => buildRun([d]));
  });

  it('every build defect has a symptom to look for', () => {
    assert.deepEqual(buildDefects.sort(), Object.keys(symptoms).sort());
  });

  for (const defect of Object.keys(symptoms)) {
    it(`${defect}: exit 1, and the failure names the symptom`, async () => {
      const { code, summary } = await runs.get(defect)!;
      const messages = failures(summary).map((t) => t.error ?? '');
      assert.equal(code, 1, `exit ${code}; failures: ${messages.join('\n')}`);
      assert.ok(messages.some((m) => symptoms[defect]!.test(m)), `no failure matched ${symptoms[defect]}:\n${messages.join('\n')}`);
      // What this run made, by its label: another process may be using the engine meanwhile.
      assert.equal(nothingLabelled(`shakedown.run=${summary.run}`), undefined);
    });
  }
});
