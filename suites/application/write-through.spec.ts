import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';
import { lbUrl, sql } from '../platform.js';

const env = environment();

describe('the application writes through the whole stack', () => {
  it('a note posted to the LB lands in the database, and reads back through the LB', async () => {
    const text = `write-through-${Date.now()}`;
    const res = await expectHttp(env.bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: text });
    const id = Number(/"id":\s*(\d+)/.exec(res.body)?.[1]);
    assert.ok(id > 0, `no id in the answer: ${res.body}`);
    const db = env.servers('db')[0]!;
    assert.equal(await sql(db, `SELECT body FROM notes WHERE id = ${id}`), text, `note ${id} is not in the database on ${db.name}`);
    await expectHttp(env.bastion, lbUrl('/notes'), { status: 200, body: text });
  });
});
