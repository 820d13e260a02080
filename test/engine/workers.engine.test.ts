import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import { nothingLabelled, shakedown } from './cli.js';
import { failedTitles, fixtureDir, fixtureRun, removeFixtureDirs, unit } from './fixture-run.js';

const small = ['--topology', 'test/fixtures/small.yml'];

describe('workers: retries, launch failures, kept environments and evidence', function () {
  this.timeout(300_000);
  afterEach(removeFixtureDirs);

  it('a unit that fails and then passes on a fresh environment is reported flaky, not passed', async () => {
    const marker = path.join(fixtureDir(), 'flaky-marker');
    const r = await fixtureRun(['--suite', 'flaky', '--retries', '1', ...small], { SHAKEDOWN_FLAKY_MARKER: marker });
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    const u = unit(r.report, 'flaky');
    assert.equal(u.outcome, 'flaky');
    assert.deepEqual(u.attempts.map((a) => a.outcome), ['failed', 'passed']);
    assert.notEqual(u.attempts[0]!.env, u.attempts[1]!.env, 'the retry ran on a fresh environment');
    assert.equal(r.report.flaky, 1);
    assert.match(r.junit, /<flakyFailure [^>]*first attempt fails on purpose/);
    assert.match(readFileSync(path.join(r.dir, 'report.html'), 'utf8'), /1 flaky/);
  });

  it('without retries the same unit fails (exit 1)', async () => {
    const marker = path.join(fixtureDir(), 'flaky-marker');
    const r = await fixtureRun(['--suite', 'flaky', ...small], { SHAKEDOWN_FLAKY_MARKER: marker });
    assert.equal(r.code, 1);
    assert.equal(unit(r.report, 'flaky').outcome, 'failed');
  });

  it('a launch that fails once is retried after a backoff and the run passes', async () => {
    const r = await fixtureRun(['--suite', 'passes', ...small], { SHAKEDOWN_FAIL_LAUNCHES: '1', SHAKEDOWN_LAUNCH_BACKOFF_MS: '300' });
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    const launches = r.report.timeline.filter((e) => e.kind === 'launch');
    assert.equal(launches[0]!.ok, false);
    assert.ok(r.report.timeline.some((e) => e.kind === 'backoff'));
    assert.ok(launches.some((e) => e.ok));
  });

  it('a worker that cannot get an environment reports its units as infrastructure errors (exit 3), and leaves nothing', async () => {
    const r = await fixtureRun(['--suite', 'fails', '--launch-tries', '2', ...small], { SHAKEDOWN_FAIL_LAUNCHES: '2', SHAKEDOWN_LAUNCH_BACKOFF_MS: '100' });
    assert.equal(r.code, 3, r.stderr.slice(-1500));
    assert.equal(unit(r.report, 'fails').outcome, 'infra');
    assert.equal(r.report.infra, 1);
    assert.equal(r.report.failed, 0, 'an infrastructure error is not a test failure');
    assert.match(r.stderr, /no environment after 2 tries/);
    assert.match(r.junit, /<error [^>]*type="infrastructure"/);
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });

  it('a failed unit leaves evidence per server, and with --keep-on-failure its environment for debugging until the janitor may take it', async () => {
    const r = await fixtureRun(['--suite', 'fails', '--keep-on-failure', '10m', ...small]);
    assert.equal(r.code, 1);
    const u = unit(r.report, 'fails');
    assert.match(failedTitles(u).join(), /shakedown-absent/);
    const ev = u.attempts[0]!.evidence!;
    assert.ok(ev, 'evidence was collected');
    assert.match(readFileSync(path.join(r.dir, ev.dir, 'failure.txt'), 'utf8'), /test -e \/etc\/shakedown-absent/);
    const web = ev.servers.find((s) => s.server === 'web-1')!;
    const journal = web.files.find((f) => f.endsWith('journal.txt'))!;
    assert.match(readFileSync(path.join(r.dir, journal), 'utf8'), /shakedown fixture: about to fail/);
    assert.ok(web.files.every((f) => existsSync(path.join(r.dir, f))));
    assert.match(r.junit, /\[\[ATTACHMENT\|[^\]]*journal\.txt\]\]/);
    assert.match(readFileSync(path.join(r.dir, 'report.html'), 'utf8'), /journal\.txt/);

    const [kept] = r.report.kept;
    assert.ok(kept, 'the environment was kept');
    assert.ok(kept.commands.includes(`npx shakedown env ssh ${kept.env} web-1 --exec`));
    assert.match(r.stderr, new RegExp(`kept ${kept.env} .*\\n  npx shakedown env ssh ${kept.env} bastion --exec`));
    const state = { SHAKEDOWN_STATE_DIR: r.dir };
    const onto = await shakedown(['env', 'ssh', kept.env, 'web-1', '--exec', 'hostname'], state);
    assert.equal(onto.stdout.trim(), 'web-1', onto.stderr);
    await shakedown(['janitor'], state);
    assert.notEqual(nothingLabelled(`shakedown.env=${kept.env}`), undefined, 'the janitor took a kept environment before its expiry');
    assert.equal((await shakedown(['env', 'down', kept.env], state)).code, 0);
    assert.equal(nothingLabelled(`shakedown.env=${kept.env}`), undefined);
  });

  it('a unit that declares it breaks its environment gets a spare launched while it runs, and the next unit starts on it with no launch in between', async () => {
    const r = await fixtureRun(['--suite', 'breaks-slowly,passes', '--workers', '1', '--order', 'given', ...small], { SHAKEDOWN_HOLD_S: '15' });
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    const bar = (name: string) => r.report.timeline.find((e) => e.kind === 'unit' && e.env === unit(r.report, name).attempts.at(-1)!.env)!;
    const breaker = bar('breaks-slowly');
    const next = bar('passes');
    const spare = r.report.timeline.find((e) => e.kind === 'launch' && e.background);
    assert.ok(spare && spare.ok && spare.endMs <= breaker.endMs, `no spare launched while the breaking unit ran: ${JSON.stringify(r.report.timeline)}`);
    assert.notEqual(next.env, breaker.env);
    // The first environment is the only one launched in the foreground: the next unit's came from the spare, and it waited for no launch.
    const foreground = r.report.timeline.filter((e) => e.kind === 'launch' && !e.background);
    assert.equal(foreground.length, 1, `launches the worker waited for: ${JSON.stringify(foreground)}`);
    assert.equal(r.report.environments.length, 2, 'the broken environment and the spare');
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });

  it('a spare no unit needs is destroyed at once, and the run leaves nothing', async () => {
    // Worker 1 holds the breaking unit for 20 s; worker 2 takes every other unit meanwhile, so worker 1's spare is not needed.
    const r = await fixtureRun(['--suite', 'breaks-slowly,passes,healthy', '--workers', '2', '--order', 'given', '--topology', 'test/fixtures/gate.yml'], { SHAKEDOWN_HOLD_S: '20' });
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    const breaker = r.report.timeline.find((e) => e.kind === 'unit' && e.env === unit(r.report, 'breaks-slowly').attempts[0]!.env)!;
    const spare = r.report.environments.find((e) => e.fate === 'a spare no unit needed');
    assert.ok(spare, `no unneeded spare: ${JSON.stringify(r.report.environments.map((e) => [e.id, e.worker, e.fate]))}`);
    const destroy = r.report.timeline.find((e) => e.kind === 'destroy' && e.env === spare.id)!;
    assert.ok(destroy.startMs < breaker.endMs, `the unneeded spare was destroyed at ${destroy.startMs} ms, after the breaking unit ended (${breaker.endMs} ms)`);
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });
});
