import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import { count, holdArgs, janitor, leftBy, NOTHING, reap, Run, summary } from './kill.js';

const WAIT_MS = 120_000;
/** From the first signal to exit: destroy two small environments and write the reports. */
const CLEANUP_BOUND_MS = 30_000;
/** "At once": no destroy, no reports; only the process's own exit. */
const AT_ONCE_MS = 3_000;

interface Report {
  outcome: string;
  units: { unit: string; outcome: string }[];
}

/** report.json and junit.xml are there, and the report says the run was interrupted. */
function assertInterruptedReports(run: Run): void {
  const json = path.join(run.results, 'report.json');
  assert.ok(existsSync(json), `no report.json in ${run.results}:\n${run.stderr.tail()}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  assert.equal(report.outcome, 'interrupted');
  assert.deepEqual(report.units.map((u) => u.outcome), report.units.map(() => 'interrupted'), JSON.stringify(report.units));
  assert.ok(existsSync(path.join(run.results, 'junit.xml')), `no junit.xml in ${run.results}`);
}

/** Sends `signal` and checks the first-signal contract: exit 130 within the bound, reports written, nothing left. */
async function interruptCleanly(run: Run, signal: NodeJS.Signals): Promise<void> {
  const sent = run.signal(signal);
  const exit = await run.exit;
  assert.equal(exit.code, 130, run.stderr.tail());
  assert.ok(exit.at - sent < CLEANUP_BOUND_MS, `exited ${exit.at - sent} ms after ${signal}`);
  assertInterruptedReports(run);
  assert.deepEqual(leftBy(run.pid), NOTHING);
}

describe('engine: SIGINT and SIGTERM', function () {
  this.timeout(240_000);
  const runs: Run[] = [];
  /** The fixture suite `hold`: units busy on a server for a minute, long enough to be interrupted. */
  const start = (workers = 2, ...more: string[]) => {
    const run = new Run(holdArgs(workers, ...more));
    runs.push(run);
    return run;
  };

  afterEach(() => reap(runs.splice(0)));

  it('SIGINT while units run on two workers: exit 130, reports say interrupted, nothing left', async () => {
    const run = start();
    await run.line(/holding unit one/, WAIT_MS, 'unit one to be under way');
    await run.line(/holding unit two/, WAIT_MS, 'unit two to be under way');
    await interruptCleanly(run, 'SIGINT');
    // The interrupt's cleanup and each worker's own destroy remove the same environments; neither may fail.
    assert.doesNotMatch(run.stderr.seen.join('\n'), /destroy failed/);
  });

  it('SIGTERM during launch: exit 130, reports say interrupted, nothing left', async () => {
    const run = start();
    await run.event(/^create /, WAIT_MS, 'the first container');
    await interruptCleanly(run, 'SIGTERM');
  });

  it('SIGINT while launches wait their turn: none of them starts after it', async () => {
    // Three workers, one launch at a time: two launches are queued when the first container appears.
    const run = start(3, '--launch-concurrency', '1');
    await run.event(/^create /, WAIT_MS, 'the first container');
    await interruptCleanly(run, 'SIGINT');
    // Docker's events come in order: once every container created has been destroyed, none is still to be told.
    const created = () => run.events.seen.filter((l) => l.startsWith('create ')).map((l) => l.split(' ')[1]!);
    for (const name of created()) await run.event(new RegExp(`^destroy ${name}$`), 10_000, `the destroy event of ${name}`);
    const environments = new Set(created().map((name) => name.split('-')[1]));
    assert.equal(environments.size, 1, `environments launched after the signal: ${created().join(', ')}`);
  });

  it('a second SIGINT exits at once; the janitor removes what is left', async () => {
    const run = start();
    await run.line(/holding unit/, WAIT_MS, 'a unit to be under way');
    run.signal('SIGINT');
    // Once the first is handled: two signals sent together may arrive as one.
    await run.line(/SIGINT: destroying/, 10_000, 'the first SIGINT to be handled');
    const sent = run.signal('SIGINT');
    const exit = await run.exit;
    assert.equal(exit.code, 130, run.stderr.tail());
    assert.ok(exit.at - sent < AT_ONCE_MS, `exited ${exit.at - sent} ms after the second SIGINT`);
    assert.match(run.stderr.tail(), /SIGINT again: exiting now; run 'shakedown janitor'/);
    const left = leftBy(run.pid);
    assert.ok(count(left) > 0, 'the cleanup had finished before the second SIGINT: nothing left for the janitor to prove');
    const swept = await janitor();
    assert.deepEqual(leftBy(run.pid), NOTHING, `after the janitor (${summary(left)} were left):\n${swept.stdout}`);
  });
});
