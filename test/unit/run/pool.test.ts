import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GATE_ALLOWANCE_MS, Pool, type Request } from '../../../harness/run/pool.js';

/** A worker as the pool sees it: the topology it holds, and how long a launch of another takes. */
const worker = (id: number, topology?: string, launchMs?: number) => ({
  id,
  topology: () => topology,
  setupMs: (t: string) => (t === topology ? 0 : launchMs),
  retired: undefined as string | undefined,
});
let rank = 0;
const unit = (topology: string, more: Partial<Request> = {}): Request => ({ topology, rank: rank++, ...more });
const settled = async <T>(p: Promise<T>, ms = 20) => Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('run/pool', () => {
  it('says when each worker is expected free, counting an unknown launch as none, leaving out a unit of unknown duration', async () => {
    let now = 1000;
    const [w1, w2, w3, w4] = [worker(1, 'platform'), worker(2), worker(3), worker(4)];
    const pool = new Pool([w1, w2, w3, w4], { allowanceMs: 100, clock: () => now });
    assert.equal((await pool.acquire(unit('platform', { expectedMs: 5000 }))).id, 1);
    // w2 and w3 hold nothing and no launch time is known: their ends are rough.
    assert.equal((await pool.acquire(unit('platform-ha', { expectedMs: 3000 }))).id, 2);
    assert.equal((await pool.acquire(unit('platform-ha'))).id, 3);
    now = 2000;
    assert.deepEqual([...pool.expectedFree()].map(([w, t]) => [w.id, t]), [[1, 6100], [2, 4100], [4, 2000]]);
  });

  it('prefers a free worker already holding the topology, then one holding none', async () => {
    const pool = new Pool([worker(1, 'platform'), worker(2), worker(3, 'platform-ha')]);
    assert.equal((await pool.acquire(unit('platform-ha'))).id, 3);
    assert.equal((await pool.acquire(unit('small'))).id, 2);
    assert.equal((await pool.acquire(unit('platform-ha'))).id, 1);
  });

  it('waits for a release when every worker is busy', async () => {
    const w1 = worker(1);
    const pool = new Pool([w1]);
    await pool.acquire(unit('platform'));
    const next = pool.acquire(unit('platform'));
    assert.equal(await settled(next), 'pending');
    pool.release(w1);
    assert.equal((await next).id, 1);
  });

  it('hands out waiting units in their order, not the order they asked', async () => {
    const w1 = worker(1, 'platform');
    const pool = new Pool([w1]);
    await pool.acquire(unit('platform'));
    const order: string[] = [];
    const late = pool.acquire({ topology: 'platform', rank: 20 }).then(() => order.push('late'));
    const early = pool.acquire({ topology: 'platform', rank: 10 }).then(() => order.push('early'));
    pool.release(w1);
    await early;
    pool.release(w1);
    await late;
    assert.deepEqual(order, ['early', 'late']);
  });

  it('skips retired workers, and fails with their reasons once all are retired', async () => {
    const w1 = worker(1);
    const w2 = worker(2);
    const pool = new Pool([w1, w2]);
    w1.retired = 'no environment after 3 tries: engine down';
    assert.equal((await pool.acquire(unit('platform'))).id, 2);
    w2.retired = 'no environment after 3 tries: engine down';
    await assert.rejects(pool.acquire(unit('platform')), /no worker could get an environment: worker 1: no environment after 3 tries/);
  });

  it('holds a unit for a busy worker with a healthy environment of its topology that is free before a launch would be done', async () => {
    const busy = worker(1, 'platform', 8000);
    const idle = worker(2, undefined, 8000);
    const pool = new Pool([busy, idle]);
    assert.equal((await pool.acquire(unit('platform', { expectedMs: 1000 }))).id, 1);
    const next = pool.acquire(unit('platform', { expectedMs: 1000 }));
    assert.equal(await settled(next), 'pending', 'the idle worker, which must launch for it, was given the unit');
    // Meanwhile the idle worker takes a unit after it.
    assert.equal((await pool.acquire(unit('other'))).id, 2);
    pool.release(busy);
    assert.equal((await next).id, 1);
  });

  it('gives the unit to the worker that must launch when the busy one is expected later than that launch', async () => {
    const pool = new Pool([worker(1, 'platform', 500), worker(2, undefined, 500)]);
    await pool.acquire(unit('platform', { expectedMs: 60_000 }));
    assert.equal((await pool.acquire(unit('platform'))).id, 2);
  });

  it('does not wait for a busy worker whose unit breaks its environment, or whose duration is unknown', async () => {
    const pool = new Pool([worker(1, 'platform', 8000), worker(2, 'platform', 8000), worker(3, undefined, 8000)]);
    await pool.acquire(unit('platform', { expectedMs: 10, breaks: true }));
    await pool.acquire(unit('platform'));
    assert.equal((await pool.acquire(unit('platform'))).id, 3);
  });

  it('stops waiting for a busy worker once it is overdue', async () => {
    const pool = new Pool([worker(1, 'platform', 8000), worker(2, undefined, 8000)], { allowanceMs: GATE_ALLOWANCE_MS });
    await pool.acquire(unit('platform', { expectedMs: 10 }));
    const started = Date.now();
    assert.equal((await pool.acquire(unit('platform'))).id, 2);
    assert.ok(Date.now() - started >= 10 + GATE_ALLOWANCE_MS - 50, `gave up after ${Date.now() - started} ms`);
  });

  it('refuses waiting and later units once closed', async () => {
    const pool = new Pool([worker(1)]);
    await pool.acquire(unit('platform'));
    const waiting = pool.acquire(unit('platform'));
    pool.close(new Error('interrupted'));
    await assert.rejects(waiting, /interrupted/);
    await assert.rejects(pool.acquire(unit('platform')), /interrupted/);
  });
});
