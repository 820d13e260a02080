import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';
import { writeBeforeAction } from '../lifecycle-data.js';
import { lbUrl } from '../platform.js';

const env = environment();

// The upgrade's source: production's v1 by default; a release branch's own version when a branch
// is upgraded to development (then the same version, a newer ref).
describe('the upgrade source, before the upgrade', () => {
  it('every web node runs the version the environment was launched at', async () => {
    for (const web of env.servers('web')) {
      await expectHttp(env.bastion, `http://${web.name}/version`, { status: 200, body: env.record.version });
    }
  });

  it('takes writes the way the source version does', async () => {
    await writeBeforeAction('upgrade');
    await expectHttp(env.bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: 'written before the upgrade' });
  });
});
