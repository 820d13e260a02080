import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';
import { expectEveryWebNodeInService } from '../lb-in-service.js';
import { describeCodes, hammer, lbUrl, sql, until } from '../platform.js';

const env = environment();
const primary = () => env.servers('db')[0]!;
const replica = () => env.servers('replica')[0]!;

describe('database failover', () => {
  const before = `before-failover-${Date.now()}`;

  it('the replica streams from the primary', async () => {
    await expectHttp(env.bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: before });
    await until(async () => (await sql(replica(), `SELECT count(*) FROM notes WHERE body = '${before}'`)) === '1', 15_000, `${replica().name} replicating the note`);
    assert.equal(await sql(primary(), "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"), '1');
  });

  it('with the primary stopped and the replica promoted, the application keeps writing and reading', async () => {
    await primary().must('systemctl stop postgresql');
    await replica().must('/usr/local/sbin/platform-failover', { timeoutMs: 60_000 });
    assert.equal(await sql(replica(), 'SELECT pg_is_in_recovery()'), 'f', `${replica().name} is still a standby after platform-failover`);
    // While the database was down the load balancer's checks (each opens a connection) took the web nodes
    // out; they come back once a check reaches the promoted replica (checks are 1 s apart, rise 1).
    // Hammering before that failed one bench run with 20×503 and no error anywhere but haproxy's NOSRV.
    await expectEveryWebNodeInService();
    const writes = await hammer(20, '/notes', 'POST');
    assert.equal(writes.get('201') ?? 0, 20, `writes after failover: ${describeCodes(writes)}`);
    const reads = await hammer(20, '/notes');
    assert.equal(reads.get('200') ?? 0, 20, `reads after failover: ${describeCodes(reads)}`);
    assert.equal(await sql(replica(), `SELECT count(*) FROM notes WHERE body = '${before}'`), '1', 'data written before the failover is missing');
    assert.ok(Number(await sql(replica(), "SELECT count(*) FROM notes WHERE body LIKE 'load-%'")) >= 20, 'the writes after failover did not land on the promoted replica');
  });
});
