import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';
import { writeBeforeAction } from '../lifecycle-data.js';
import { lbUrl } from '../platform.js';

const env = environment();

describe('production before the upgrade', () => {
  it('every web node runs the production version', async () => {
    for (const web of env.servers('web')) {
      await expectHttp(env.bastion, `http://${web.name}/version`, { status: 200, body: env.record.version });
    }
    assert.equal(env.record.version, 'v1');
  });

  it('takes writes the way production does', async () => {
    await writeBeforeAction('upgrade');
    await expectHttp(env.bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: 'written under v1' });
  });
});
