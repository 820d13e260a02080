import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { nothingLabelled } from './cli.js';
import { fixtureRun, removeFixtureDirs, unit } from './fixture-run.js';

const small = ['--topology', 'test/fixtures/small.yml', '--workers', '1'];
const titles = (u: ReturnType<typeof unit>, phase: RegExp) =>
  u.attempts.at(-1)!.phases.filter((p) => phase.test(p.phase)).flatMap((p) => p.tests.map((t) => `${t.state} ${t.title}`));

describe('engine: a rolling lifecycle action goes one server at a time, the environment checked between servers', function () {
  this.timeout(600_000);
  afterEach(removeFixtureDirs);

  it('reboots each server in turn (two rounds), the rest running; after each, the health gate and the suite\'s between spec pass', async () => {
    const r = await fixtureRun(['--suite', 'rolling-reboot', ...small]);
    const u = unit(r.report, 'rolling-reboot/rolling');
    assert.equal(r.code, 0, JSON.stringify(u.attempts.at(-1)!.phases, null, 1));
    const action = titles(u, /: action$/).map((t) => t.replace(/ \(\d+ ms\)$/, ''));
    const server = (name: string, round: number) => [
      `passed ${name} rebooted by an admin (sudo systemctl reboot), round ${round} of 2`,
      `passed ${name} rebooted from outside (provider), round ${round} of 2`,
      `passed after ${name}, round ${round} of 2: environment healthy`,
      `passed after ${name}, round ${round} of 2: one more server has booted again since the last check; the others kept running`,
    ];
    assert.deepEqual(action, [...server('web-1', 1), ...server('bastion', 1), ...server('web-1', 2), ...server('bastion', 2)]);
    assert.deepEqual(titles(u, /: after$/), ['passed each server booted again on its turn, the bastion last, every round']);
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });

  it('stops at the first server after which the environment is unhealthy, naming the reason; the rest is not touched', async () => {
    const r = await fixtureRun(['--suite', 'rolling-unhealthy', ...small]);
    assert.equal(r.code, 1);
    const u = unit(r.report, 'rolling-unhealthy/rolling');
    const action = u.attempts.at(-1)!.phases.find((p) => /: action$/.test(p.phase))!;
    const failed = action.tests.filter((t) => t.state === 'failed');
    assert.deepEqual(failed.map((t) => t.title), ['after web-1: environment healthy']);
    assert.match(failed[0]!.error ?? '', /^after web-1, the environment is not healthy within 30 s: web-1: \/run is (9[5-9]|100)% full/);
    assert.ok(!action.tests.some((t) => t.title.startsWith('bastion')), `the bastion was rebooted after the failure: ${action.tests.map((t) => t.title).join('; ')}`);
    assert.deepEqual(titles(u, /^passes after/), ['skipped not run']);
    assert.equal(nothingLabelled(`shakedown.run=${r.report.run}`), undefined);
  });
});
