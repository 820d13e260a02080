import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { Pool } from '../../../harness/run/pool.js';

const worker = (id: number, topology?: string) => ({ id, topology: () => topology, retired: undefined as string | undefined });

describe('run/pool', () => {
  it('prefers a free worker already holding the topology, then one holding none', async () => {
    const pool = new Pool([worker(1, 'platform'), worker(2), worker(3, 'platform-ha')]);
    assert.equal((await pool.acquire('platform-ha')).id, 3);
    assert.equal((await pool.acquire('small')).id, 2);
    assert.equal((await pool.acquire('platform-ha')).id, 1);
  });

  it('waits for a release when every worker is busy', async () => {
    const w1 = worker(1);
    const pool = new Pool([w1]);
    await pool.acquire('platform');
    let got = false;
    const next = pool.acquire('platform').then((w) => ((got = true), w));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(got, false);
    pool.release(w1);
    assert.equal((await next).id, 1);
  });

  it('skips retired workers, and fails with their reasons once all are retired', async () => {
    const w1 = worker(1);
    const w2 = worker(2);
    const pool = new Pool([w1, w2]);
    w1.retired = 'no environment after 3 tries: engine down';
    assert.equal((await pool.acquire('platform')).id, 2);
    w2.retired = 'no environment after 3 tries: engine down';
    await assert.rejects(pool.acquire('platform'), /no worker could get an environment: worker 1: no environment after 3 tries/);
  });
});
