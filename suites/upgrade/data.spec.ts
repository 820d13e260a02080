import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';
import { expectWrittenDataIntact } from '../lifecycle-data.js';
import { lbUrl, sql } from '../platform.js';
import { observed } from './action.js';

const env = environment();

describe('after the upgrade', () => {
  it('no request through the load balancer failed during the rolling upgrade', () => {
    assert.ok(observed.requests > 0, 'no requests were sent during the upgrade');
    assert.equal(observed.failed, 0, `${observed.failed} of ${observed.requests} requests failed: ${observed.codes}`);
  });

  it('every web node serves the new version', async () => {
    for (const web of env.servers('web')) await expectHttp(env.bastion, `http://${web.name}/version`, { status: 200, body: env.record.version });
  });

  it('data written before the upgrade is intact and migrated (no author)', async () => {
    await expectWrittenDataIntact('upgrade');
    const db = env.servers('db')[0]!;
    assert.equal(await sql(db, "SELECT count(*) FROM notes WHERE body = 'written before the upgrade' AND author IS NULL"), '1');
  });

  it('new writes use what the new version adds', async () => {
    const text = `v2-${Date.now()}`;
    const r = await expectHttp(env.bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: text });
    assert.ok(r.status === 201);
    const db = env.servers('db')[0]!;
    await env.bastion.must(`curl -s -X POST -H 'X-Author: shakedown' --data-binary ${text}-authored ${lbUrl('/notes')}`);
    assert.equal(await sql(db, `SELECT author FROM notes WHERE body = '${text}-authored'`), 'shakedown');
  });
});
