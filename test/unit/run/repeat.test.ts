import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { htmlReport } from '../../../harness/report/html.js';
import { junitReport } from '../../../harness/report/junit.js';
import { historyKey, loadHistory } from '../../../harness/run/history.js';
import { qualify } from '../../../harness/run/qualify.js';
import { outcomeLine } from '../../../harness/run/run-report.js';
import type { SuiteResult } from '../../../harness/suite/runner.js';
import { quietRuns } from './quiet-run.js';
import { fakeLaunch, FakeProvider, topology, unit } from './fake-provider.js';

/** One phase of one test, passed or failed. */
const phase = (name: string, ok: boolean): SuiteResult[] => [
  { suite: name, phase: name, durationMs: 1, tests: [{ suite: name, phase: name, title: 'works', fullTitle: `${name} works`, state: ok ? 'passed' : 'failed', durationMs: 1, error: ok ? undefined : 'lost the race' }] },
];

/**
 * Units run `repeat` times on fake environments; `script[unit]` says, run by run in the order they
 * start, whether each passes (a unit not in it always passes). What ran is counted in `runs`.
 */
function repeated(units: string[], repeat: number, script: Record<string, boolean[]>, runs: Record<string, number>, workers = 1, retries = 0) {
  const provider = new FakeProvider({ launchMs: 5, destroyMs: 5 });
  return qualify({
    units: units.map((u) => ({ unit: unit(u), topology: topology() })),
    provider,
    run: 'rrepeat',
    ttlMs: 60_000,
    workers,
    retries,
    repeat,
    order: 'given',
    launchConcurrency: 2,
    launchTries: 1,
    backoffMs: 10,
    progress: { set: () => undefined, unitDone: () => undefined, stop: () => undefined },
    launch: fakeLaunch,
    runUnit: async (u) => {
      const n = (runs[u.name] = (runs[u.name] ?? 0) + 1);
      return { results: phase(u.name, script[u.name]?.[n - 1] ?? true), broken: undefined };
    },
  });
}

describe('run/repeat: every unit run N times, on a fake provider', function () {
  this.timeout(20_000);
  quietRuns();

  it('runs each unit N times, each run its own execution with its own attempt', async () => {
    const runs: Record<string, number> = {};
    const { report } = await repeated(['race', 'steady'], 3, {}, runs, 2);
    assert.deepEqual(runs, { race: 3, steady: 3 });
    assert.deepEqual(report.units.map((u) => u.unit), ['race', 'steady'], 'one report per unit, not per run');
    for (const u of report.units) assert.deepEqual(u.attempts.map((a) => a.repeat).sort(), [1, 2, 3]);
  });

  it('a unit that fails 1 run of 3 is flaky with its ratio, and the run fails (exit 1) in every report', async () => {
    const runs: Record<string, number> = {};
    const { report, exitCode } = await repeated(['race', 'steady'], 3, { race: [true, false, true] }, runs);
    const race = report.units.find((u) => u.unit === 'race')!;
    assert.equal(race.outcome, 'flaky');
    assert.deepEqual(race.repeats, { passed: 2, runs: 3 });
    assert.equal(exitCode, 1);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.flaky, 1);
    assert.equal(report.failed, 1, 'the failed run\'s test counts as failed');
    assert.match(outcomeLine(report), /race flaky \(passed 2\/3\)/);
    const junit = junitReport(report);
    assert.match(junit, /<testcase classname="race" name="race works"[^>]*>\s*<failure message="lost the race"/, 'JUnit shows the failed run, not the last that passed');
    assert.match(junit, /name="race: repeats"[^>]*>\s*<failure message="flaky: passed 2\/3 runs" type="flaky"/);
    assert.match(junit, /<property name="shakedown.repeats" value="passed 2\/3"\/>/);
    assert.match(htmlReport(report), /flaky<\/span> <span class="ratio">passed 2\/3<\/span>/);
  });

  it('a unit that passes every run is a pass with its ratio shown, and the run passes', async () => {
    const { report, exitCode } = await repeated(['steady'], 3, {}, {});
    const [steady] = report.units;
    assert.equal(steady!.outcome, 'passed');
    assert.deepEqual(steady!.repeats, { passed: 3, runs: 3 });
    assert.equal(exitCode, 0);
    assert.equal(report.outcome, 'passed');
    assert.match(outcomeLine(report), /steady passed \(passed 3\/3\)/);
    assert.doesNotMatch(junitReport(report), /<failure/);
  });

  it('a run that passed only on retry does not count as passed: the unit is flaky and the run fails', async () => {
    // Repeat 1 passes; repeat 2 fails, then passes on its retry.
    const { report, exitCode } = await repeated(['race'], 2, { race: [true, false, true] }, {}, 1, 1);
    assert.equal(report.units[0]!.outcome, 'flaky');
    assert.deepEqual(report.units[0]!.repeats, { passed: 1, runs: 2 });
    assert.equal(report.failed, 0, 'every run ended on a passing attempt');
    assert.equal(exitCode, 1);
  });

  it('a unit that fails every run is failed, 0 of N', async () => {
    const { report, exitCode } = await repeated(['broken'], 2, { broken: [false, false] }, {});
    assert.equal(report.units[0]!.outcome, 'failed');
    assert.deepEqual(report.units[0]!.repeats, { passed: 0, runs: 2 });
    assert.equal(exitCode, 1);
  });

  it('the duration history learns one sample per unit from a repeated run, not one per repeat', async () => {
    await repeated(['steady'], 4, {}, {});
    assert.equal(loadHistory().units[historyKey('small', 'steady')]?.ms.length, 1);
  });
});
