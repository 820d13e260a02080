import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { runCleanups } from '../../../harness/cli/interrupt.js';
import { historyKey, loadHistory, recordDurations, recordLaunches, saveHistory } from '../../../harness/run/history.js';
import { qualify, type QualifyOptions } from '../../../harness/run/qualify.js';
import type { Gate } from '../../../harness/run/worker.js';
import { quietRuns } from './quiet-run.js';
import { fakeLaunch, FakeProvider, fakeRunner, topology, unit, type RunSeen } from './fake-provider.js';

interface Setup {
  units: ReturnType<typeof unit>[];
  /** Each unit's topology by unit name; 'small' when not named. */
  topologies?: Record<string, string>;
  durations: Record<string, number>;
  workers?: number;
  gate?: Gate;
  maxEnvironments?: number;
  /** Default 2. */
  launchConcurrency?: number;
  /** Called after each unit run, with its environment. */
  after?: (unit: string, env: string) => void;
}

/** A run of fake units on fake environments; what ran where is in `seen`. */
function run(provider: FakeProvider, s: Setup, seen: RunSeen[]): ReturnType<typeof qualify> {
  const runner = fakeRunner(provider, s.durations, seen);
  const o: QualifyOptions = {
    units: s.units.map((u) => ({ unit: u, topology: topology(s.topologies?.[u.name]) })),
    provider,
    run: 'rtest',
    ttlMs: 60_000,
    workers: s.workers ?? 1,
    retries: 0,
    order: 'given',
    launchConcurrency: s.launchConcurrency ?? 2,
    maxEnvironments: s.maxEnvironments,
    launchTries: 1,
    backoffMs: 10,
    gate: s.gate,
    progress: { set: () => undefined, unitDone: () => undefined, stop: () => undefined },
    launch: fakeLaunch,
    runUnit: async (u, env, opts) => {
      const r = await runner(u, env, opts);
      s.after?.(u.name, env.id);
      return r;
    },
  };
  return qualify(o);
}

/** Waits for a condition, polling, failing with `what` after `ms`. */
async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('run/qualify: spares and setup-aware assignment, on a fake provider', function () {
  this.timeout(20_000);
  quietRuns();

  it('launches a spare while a unit that breaks its environment runs, and the next unit starts on it without waiting for a launch or a destroy', async () => {
    // Wide margins, so the order of events, not their timing, is what is checked: the launch is
    // far shorter than the breaking unit, the destroy far longer than anything else.
    const provider = new FakeProvider({ launchMs: 100, destroyMs: 1500 });
    const seen: RunSeen[] = [];
    const { report } = await run(provider, { units: [unit('upgrade', 'upgraded in place'), unit('functional/backup-restore')], durations: { upgrade: 1200, 'functional/backup-restore': 50 } }, seen);
    const [breaker, next] = seen;
    assert.ok(breaker && next, JSON.stringify(seen));
    assert.notEqual(next.env, breaker.env);
    const spare = provider.launches.find((l) => l.env === next.env)!;
    const first = provider.launches.find((l) => l.env === breaker.env)!;
    assert.ok(spare.startMs >= first.endMs! && spare.endMs! <= breaker.endMs, `the spare's launch (${spare.startMs}–${spare.endMs} ms) was not between the first environment's and the breaking unit's end (${first.endMs}–${breaker.endMs} ms)`);
    const destroyed = provider.destroys.find((d) => d.env === breaker.env)!;
    assert.ok(next.startMs < destroyed.endMs!, `the next unit started at ${next.startMs} ms, after the broken environment's destroy ended (${destroyed.endMs} ms): it waited for it`);
    assert.equal(provider.launches.length, 2, 'a launch after the breaking unit');
    assert.equal(report.environments.length, 2, 'the broken environment and the spare that replaced it');
    assert.match(report.environments.find((e) => e.id === breaker.env)!.fate!, /^upgrade broke it: declared/);
    assert.ok(report.timeline.some((e) => e.kind === 'launch' && e.background && e.label === 'spare small'));
    assert.deepEqual([...provider.live.keys()], [], 'environments left');
  });

  it('launches the replacement of an environment the health gate finds broken at once, while the broken one is destroyed', async () => {
    const provider = new FakeProvider({ launchMs: 100, destroyMs: 1500 });
    const sick = new Set<string>();
    const gate: Gate = { baseline: async () => undefined, check: async (env) => ({ healthy: !sick.has(env.id), reasons: ['web-1: unreachable'], ms: 0 }) };
    const seen: RunSeen[] = [];
    const setup = { units: [unit('kill-sshd'), unit('healthy/reachable')], durations: { 'kill-sshd': 50, 'healthy/reachable': 50 }, gate, after: (u: string, env: string) => u === 'kill-sshd' && sick.add(env) };
    const { report } = await run(provider, setup, seen);
    const [breaker, next] = seen;
    assert.match(report.units[0]!.attempts[0]!.broke!, /^health gate: web-1: unreachable/);
    // The replacement's launch is far shorter than the destroy: the next unit starting before the
    // destroy ended shows it did not wait for it (destroy, then launch, would start it after).
    const destroyed = provider.destroys.find((d) => d.env === breaker!.env)!;
    assert.ok(next!.startMs < destroyed.endMs!, `the next unit started at ${next!.startMs} ms, after the broken environment's destroy ended (${destroyed.endMs} ms)`);
    assert.equal(report.environments.length, 2);
    assert.deepEqual([...provider.live.keys()], []);
  });

  it('destroys a spare as soon as no unit still to come needs it', async () => {
    const provider = new FakeProvider({ launchMs: 200, destroyMs: 50 });
    const seen: RunSeen[] = [];
    // Worker 1 breaks its environment while b still waits; worker 2 finishes a first and takes b.
    const setup = { workers: 2, units: [unit('breaker', 'on purpose'), unit('a'), unit('b')], durations: { breaker: 1000, a: 100, b: 100 } };
    const { report } = await run(provider, setup, seen);
    const breaker = seen.find((r) => r.unit === 'breaker')!;
    assert.equal(seen.find((r) => r.unit === 'b')!.worker, 2);
    const used = new Set(seen.map((r) => r.env));
    const spares = provider.launches.filter((l) => !used.has(l.env));
    assert.equal(spares.length, 1, `expected one spare launch: ${JSON.stringify(provider.launches)}`);
    const destroy = provider.destroys.find((d) => d.env === spares[0]!.env)!;
    assert.ok(destroy && destroy.startMs < breaker.endMs, `the unneeded spare was destroyed at ${destroy?.startMs} ms, not before the breaking unit ended (${breaker.endMs} ms)`);
    assert.equal(report.environments.find((e) => e.id === spares[0]!.env)!.fate, 'a spare no unit needed');
    assert.deepEqual([...provider.live.keys()], []);
  });

  it('gives a unit to the busy worker with a healthy environment of its topology when it is free before a launch would be done', async () => {
    // The history: launches take 600 ms; long takes 500 (it takes 400), short-breaker 150, next 50.
    const h = recordLaunches(recordDurations(loadHistory(), [['long', 500], ['short-breaker', 150], ['next', 50]].map(([u, ms]) => ({ key: historyKey('small', u as string), ms: ms as number }))), [{ topology: 'small', ms: 600 }]);
    saveHistory(h);
    const provider = new FakeProvider({ launchMs: 600, destroyMs: 50 });
    const seen: RunSeen[] = [];
    // Room for two environments: no spare, so worker 2 would have to relaunch for `next`.
    const setup = { workers: 2, maxEnvironments: 2, units: [unit('long'), unit('short-breaker', 'on purpose'), unit('next')], durations: { long: 400, 'short-breaker': 150, next: 50 } };
    const { report } = await run(provider, setup, seen);
    const long = seen.find((r) => r.unit === 'long')!;
    const next = seen.find((r) => r.unit === 'next')!;
    assert.equal(next.worker, long.worker, `next ran on worker ${next.worker}, not on the worker holding the healthy environment`);
    assert.equal(next.env, long.env);
    assert.equal(provider.launches.length, 2, 'a worker launched again although a healthy environment was about to be free');
    assert.equal(report.units.find((u) => u.unit === 'next')!.attempts[0]!.worker, long.worker);
  });

  it('launches the environment of the next unit (another topology, or an untouched one) while the unit before it runs', async () => {
    const durations = [['small', 'a', 800], ['ha', 'b', 800], ['ha', 'c', 50]].map(([t, u, ms]) => ({ key: historyKey(t as string, u as string), ms: ms as number }));
    saveHistory(recordLaunches(recordDurations(loadHistory(), durations), [{ topology: 'small', ms: 200 }, { topology: 'ha', ms: 200 }]));
    const provider = new FakeProvider({ launchMs: 200, destroyMs: 50 });
    const seen: RunSeen[] = [];
    const fresh = { ...unit('c'), fresh: true };
    const setup = { units: [unit('a'), unit('b'), fresh], topologies: { b: 'ha', c: 'ha' }, durations: { a: 800, b: 800, c: 50 } };
    const { report } = await run(provider, setup, seen);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => seen.find((r) => r.unit === n)!);
    assert.deepEqual([a, b, c].map((r) => r!.env).length, new Set([a, b, c].map((r) => r!.env)).size, 'each unit on an environment of its own');
    // Launched as the unit before starts: once that unit's environment is ready, before it ends.
    for (const [before, after] of [[a, b], [b, c]] as const) {
      const launch = provider.launches.find((l) => l.env === after!.env)!;
      const ready = provider.launches.find((l) => l.env === before!.env)!.endMs!;
      assert.ok(launch.startMs >= ready && launch.endMs! <= before!.endMs, `${after!.unit}'s environment launched at ${launch.startMs}–${launch.endMs} ms, not while ${before!.unit} ran (its environment ready at ${ready} ms, it ended at ${before!.endMs} ms)`);
    }
    assert.equal(provider.launches.length, 3);
    assert.equal(report.timeline.filter((e) => e.kind === 'launch' && e.background).length, 2);
    assert.deepEqual([...provider.live.keys()], []);
  });

  it("a unit that breaks its environment gets the replacement its worker's next unit needs, of that unit's topology", async () => {
    const durations = [['small', 'breaker', 800], ['ha', 'next', 50], ['small', 'last', 50]].map(([t, u, ms]) => ({ key: historyKey(t as string, u as string), ms: ms as number }));
    saveHistory(recordLaunches(recordDurations(loadHistory(), durations), [{ topology: 'small', ms: 200 }, { topology: 'ha', ms: 200 }]));
    const provider = new FakeProvider({ launchMs: 200, destroyMs: 50 });
    const seen: RunSeen[] = [];
    const setup = { units: [unit('breaker', 'on purpose'), unit('next'), unit('last')], topologies: { next: 'ha' }, durations: { breaker: 800, next: 50, last: 50 } };
    await run(provider, setup, seen);
    const [breaker, next] = ['breaker', 'next'].map((n) => seen.find((r) => r.unit === n)!);
    const launch = provider.launches.find((l) => l.env === next!.env)!;
    assert.ok(launch.endMs! <= breaker!.endMs, `next's environment (ha) landed at ${launch.endMs} ms, after the breaking unit ended (${breaker!.endMs} ms)`);
    assert.deepEqual([...provider.live.keys()], []);
  });

  it("the environment for the unit after a short breaking unit launches as the unit before that one starts", async () => {
    const durations = [['small', 'a', 400], ['ha', 'breaker', 100], ['small', 'after', 50]].map(([t, u, ms]) => ({ key: historyKey(t as string, u as string), ms: ms as number }));
    saveHistory(recordLaunches(recordDurations(loadHistory(), durations), [{ topology: 'small', ms: 250 }, { topology: 'ha', ms: 250 }]));
    const provider = new FakeProvider({ launchMs: 250, destroyMs: 50 });
    const seen: RunSeen[] = [];
    const setup = { units: [unit('a'), unit('breaker', 'on purpose'), unit('after')], topologies: { breaker: 'ha' }, durations: { a: 400, breaker: 100, after: 50 } };
    const { report } = await run(provider, setup, seen);
    const [a, breaker, after] = ['a', 'breaker', 'after'].map((n) => seen.find((r) => r.unit === n)!);
    // Launched as the breaking unit starts, its 250 ms launch would land 150 ms after that unit's end.
    const launch = provider.launches.find((l) => l.env === after!.env)!;
    assert.ok(launch.startMs < a!.endMs && launch.endMs! <= breaker!.endMs, `after's environment launched at ${launch.startMs}–${launch.endMs} ms, not while a ran (to ${a!.endMs} ms) and ready by the breaking unit's end (${breaker!.endMs} ms)`);
    assert.equal(provider.launches.length, 3);
    assert.equal(report.outcome, 'passed');
    assert.deepEqual([...provider.live.keys()], []);
  });

  it('with one launch at a time, the environments for a short breaking unit and the unit after it launch early enough for both', async () => {
    const durations = { a: 600, b: 200, c: 200, breaker: 200, after: 100 };
    const topologies: Record<string, string> = { breaker: 'ha' };
    const history = Object.entries(durations).map(([u, ms]) => ({ key: historyKey(topologies[u] ?? 'small', u), ms }));
    saveHistory(recordLaunches(recordDurations(loadHistory(), history), [{ topology: 'small', ms: 500 }, { topology: 'ha', ms: 500 }]));
    const provider = new FakeProvider({ launchMs: 500, destroyMs: 50 });
    const seen: RunSeen[] = [];
    const setup = { units: ['a', 'b', 'c'].map((n) => unit(n)).concat(unit('breaker', 'on purpose'), unit('after')), topologies, durations, launchConcurrency: 1 };
    const { report } = await run(provider, setup, seen);
    const [c, breaker, after] = ['c', 'breaker', 'after'].map((n) => seen.find((r) => r.unit === n)!);
    // Looking two units ahead, both are asked for as c starts: the two 500 ms launches, one after the other, land 300 ms late each (this test failed so with that rule).
    for (const [before, unit] of [[c, breaker], [breaker, after]] as const) {
      const launch = provider.launches.find((l) => l.env === unit!.env)!;
      assert.ok(launch.endMs! <= before!.endMs, `${unit!.unit}'s environment landed at ${launch.endMs} ms, after ${before!.unit} ended (${before!.endMs} ms)`);
    }
    assert.equal(provider.launches.length, 3);
    assert.equal(report.outcome, 'passed');
    assert.deepEqual([...provider.live.keys()], []);
  });

  // The history says guessed-short (a) is short and guessed-long (b) long, so next-ha (c) is expected on
  // a's worker, which readies c's environment (another topology) as a starts. This time a runs long and
  // b short: b's worker takes c, and the spare a's worker launched, ready or still launching.
  for (const [state, launchMs, bMs] of [['ready', 200, 500], ['still launching', 600, 400]] as const) {
    it(`a spare one worker readied serves the other worker when that one is free first and takes the unit (spare ${state})`, async () => {
      const [aName, bName, cName] = ['guessed-short', 'guessed-long', 'next-ha'].map((n) => `${n}-${launchMs}`) as [string, string, string];
      const topologies: Record<string, string> = { [cName]: 'ha' };
      const history = Object.entries({ [aName]: 600, [bName]: 1000, [cName]: 300 }).map(([u, ms]) => ({ key: historyKey(topologies[u] ?? 'small', u), ms }));
      saveHistory(recordLaunches(recordDurations(loadHistory(), history), [{ topology: 'small', ms: launchMs }, { topology: 'ha', ms: launchMs }]));
      const provider = new FakeProvider({ launchMs, destroyMs: 50 });
      const seen: RunSeen[] = [];
      const { report } = await run(provider, { workers: 2, units: [aName, bName, cName].map((n) => unit(n)), topologies, durations: { [aName]: 1500, [bName]: bMs, [cName]: 100 } }, seen);
      const [a, c] = [aName, cName].map((n) => seen.find((r) => r.unit === n)!);
      // (RunSeen's worker is the one that launched the environment: its owner label.)
      const ranOn = (n: string) => report.units.find((u) => u.unit === n)!.attempts[0]!.worker;
      assert.equal(ranOn(cName), ranOn(bName), 'c did not go to the worker free first');
      const spare = report.timeline.find((e) => e.kind === 'launch' && e.env === c!.env)!;
      assert.ok(spare.background && spare.worker === a!.worker, `c ran on ${JSON.stringify(spare)}, not on the spare a's worker readied`);
      assert.equal(provider.launches.length, 3, `c's worker launched for it: ${JSON.stringify(provider.launches)}`);
      assert.equal(report.outcome, 'passed');
      assert.deepEqual([...provider.live.keys()], []);
    });
  }

  it('a busy worker readies the environment of a unit the guess moves to it when another worker starts a unit', async () => {
    // overruns (expected 300 ms) takes 500: when its worker starts `then` at 700 ms, last-ha is expected on
    // steady's worker (free at 1000 against 1050), which decided at 200 ms, when last-ha was expected elsewhere.
    const topologies: Record<string, string> = { 'last-ha': 'ha' };
    const history = Object.entries({ overruns: 300, steady: 800, then: 350, 'last-ha': 100 }).map(([u, ms]) => ({ key: historyKey(topologies[u] ?? 'small', u), ms }));
    saveHistory(recordLaunches(recordDurations(loadHistory(), history), [{ topology: 'small', ms: 200 }, { topology: 'ha', ms: 200 }]));
    const provider = new FakeProvider({ launchMs: 200, destroyMs: 50 });
    const seen: RunSeen[] = [];
    const setup = { workers: 2, units: ['overruns', 'steady', 'then', 'last-ha'].map((n) => unit(n)), topologies, durations: { overruns: 500, steady: 800, then: 350, 'last-ha': 100 } };
    const { report } = await run(provider, setup, seen);
    const ranOn = (n: string) => report.units.find((u) => u.unit === n)!.attempts[0]!.worker;
    assert.equal(ranOn('last-ha'), ranOn('steady'));
    const last = seen.find((r) => r.unit === 'last-ha')!;
    const launch = report.timeline.find((e) => e.kind === 'launch' && e.env === last.env)!;
    assert.ok(launch.background, `last-ha waited for its launch: ${JSON.stringify(launch)}`);
    assert.equal(provider.launches.length, 3);
    assert.deepEqual([...provider.live.keys()], []);
  });

  it('an interrupt destroys a spare whose launch is still in flight, and nothing launches after it', async () => {
    const provider = new FakeProvider({ launchMs: 400, destroyMs: 50 });
    const seen: RunSeen[] = [];
    const done = run(provider, { units: [unit('upgrade', 'upgraded in place'), unit('next')], durations: { upgrade: 5000, next: 50 } }, seen);
    await until(() => provider.launches.length === 2, 'the spare launch to begin');
    const spare = provider.launches[1]!;
    assert.equal(spare.endMs, undefined, 'the spare had already landed');
    const interruptedAt = provider.now();
    await runCleanups();
    const { report, exitCode } = await done;
    assert.equal(exitCode, 130);
    assert.equal(report.outcome, 'interrupted');
    assert.ok(provider.destroys.some((d) => d.env === spare.env), 'the spare was not destroyed');
    assert.equal(spare.endMs, undefined, 'the spare launch completed after the interrupt');
    assert.ok(provider.launches.every((l) => l.startMs <= interruptedAt), 'a launch began after the interrupt');
    assert.deepEqual([...provider.live.keys()], []);
  });
});
