import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'mocha';
import { foldersLeft, shakedown } from './cli.js';
import { count, firstOf, holdArgs, janitor, leftBy, NOTHING, reap, Run, summary } from './kill.js';

const hold = (workers = 2, env: NodeJS.ProcessEnv = {}) => ({ args: holdArgs(workers), env });
const JANITOR_BOUND_MS = 60_000;
/** Launching on two shared cores, beside other runs, can take far longer than the usual 5–8 s. */
const WAIT_MS = 120_000;

describe('engine: kill -9 at any moment, then the janitor', function () {
  this.timeout(240_000);
  const runs: Run[] = [];
  const measured: string[] = [];
  const start = (o: { args: string[]; env: NodeJS.ProcessEnv }) => {
    const run = new Run(o.args, o.env);
    runs.push(run);
    return run;
  };

  afterEach(() => reap(runs.splice(0)));
  after(() => measured.forEach((m) => console.log(`      janitor: ${m}`)));

  /**
   * SIGKILL at the moment given; then the run must have left containers, networks and volumes
   * (else this proves nothing), and one `shakedown janitor` must remove them all within 60 s, with
   * the host folders of volumes filled on this host.
   */
  async function killThenSweep(name: string, run: Run, moment: Promise<string>): Promise<void> {
    const at = await moment;
    run.signal('SIGKILL');
    const exit = await run.exit;
    assert.equal(exit.signal, 'SIGKILL', `the run ended by itself before the kill (${name}):\n${run.stderr.tail()}`);
    const left = leftBy(run.pid);
    for (const kind of ['containers', 'networks', 'volumes'] as const) {
      assert.ok(left[kind].length > 0, `killed ${name} (at '${at}'): expected ${kind} left behind, found ${summary(left)}`);
    }
    const swept = await janitor();
    assert.deepEqual(leftBy(run.pid), NOTHING, `after the janitor, objects of killed pid ${run.pid} remain\n${swept.stdout}`);
    assert.deepEqual(foldersLeft(left.volumes), [], `after the janitor, host folders of killed pid ${run.pid}'s volumes remain`);
    assert.ok(swept.ms < JANITOR_BOUND_MS, `the janitor took ${swept.ms} ms`);
    measured.push(`${name} (killed at '${at}'): ${summary(left)} removed in ${swept.ms} ms`);
  }

  it('during launch: as soon as the first server container exists', async () => {
    const run = start(hold());
    // A seed container (it fills a server's volumes) can exist before the network does, and so can one
    // that reads an image's files for volumes filled on the host (sd-extract-…): the moment is a server's.
    await killThenSweep('during launch', run, run.event(/^create (?!\S*-seed$)(?!sd-extract-)/, WAIT_MS, 'the first server container'));
  });

  it('during a test: while a unit runs a command on a server', async () => {
    const run = start(hold());
    await killThenSweep('during a test', run, run.line(/holding unit/, WAIT_MS, 'a unit to be under way'));
  });

  it('during a reboot: as a server goes down for its reboot, or right after it is back', async () => {
    const run = start({ args: ['--suite', 'reboot', '--workers', '2'], env: {} });
    const rebooting = firstOf(run.event(/^die /, 2 * WAIT_MS, 'a server to go down'), run.line(/rebooted \(guest\)/, 2 * WAIT_MS, 'the first reboot'));
    await killThenSweep('during a reboot', run, rebooting);
  });

  it('during destroy: as the first environment of a two-worker run is being removed', async () => {
    // Units of one second: the run reaches its end, where both workers destroy their environments.
    // A seed container (it fills a server's volumes at launch) is removed during the launch, and so is one
    // that reads an image's files (sd-extract-…): not this moment.
    const run = start(hold(2, { SHAKEDOWN_HOLD_S: '1' }));
    const destroying = firstOf(run.event(/^(kill|destroy) (?!\S*-seed$)(?!sd-extract-)/, WAIT_MS, 'a server container to be removed'), run.line(/destroyed in/, WAIT_MS, 'the first destroy'));
    await killThenSweep('during destroy', run, destroying);
  });

  it('two sweeps at once, as when two runs start together after a crash: both succeed, nothing is left', async () => {
    const run = start(hold());
    await run.line(/holding unit/, WAIT_MS, 'a unit to be under way');
    run.signal('SIGKILL');
    await run.exit;
    const left = leftBy(run.pid);
    assert.ok(count(left) > 0, 'the killed run should have left objects behind');
    const started = Date.now();
    const both = await Promise.all([shakedown(['janitor']), shakedown(['janitor'])]);
    for (const r of both) assert.equal(r.code, 0, `a janitor beside another exited ${r.code}:\n${r.stderr}`);
    assert.deepEqual(leftBy(run.pid), NOTHING);
    measured.push(`two at once: ${summary(left)} removed in ${Date.now() - started} ms`);
  });

  it("leaves a live run's objects alone while it removes a killed run's", async () => {
    const live = start(hold(1));
    const killed = start(hold());
    await live.line(/holding unit/, WAIT_MS, 'the live run to be under way');
    await killed.line(/holding unit/, WAIT_MS, 'the other run to be under way');
    killed.signal('SIGKILL');
    await killed.exit;
    const before = leftBy(live.pid);
    assert.ok(count(leftBy(killed.pid)) > 0, 'the killed run should have left objects behind');
    const swept = await janitor();
    assert.deepEqual(leftBy(killed.pid), NOTHING, `objects of killed pid ${killed.pid} remain\n${swept.stdout}`);
    assert.deepEqual(leftBy(live.pid), before, `the janitor touched the live run (pid ${live.pid})\n${swept.stdout}`);
    assert.match(swept.stdout, new RegExp(`is live \\(pid ${live.pid}\\)`));
    measured.push(`beside a live run: removed the killed run's objects in ${swept.ms} ms, left the live run's ${summary(before)}`);
    live.signal('SIGINT');
    assert.equal((await live.exit).code, 130, live.stderr.tail());
    assert.deepEqual(leftBy(live.pid), NOTHING);
  });
});
