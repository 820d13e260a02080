import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { evaluateUser } from '../../../../harness/suite/checks/user.js';

const passwd = 'deploy:x:1001:1001:Deploy,,,:/home/deploy:/bin/bash\n';
const groups = 'deploy sudo www-data\n';

describe('suite/checks/user', () => {
  it('passes a user with the declared shell and groups', () =>
    assert.deepEqual(evaluateUser(passwd, groups, { shell: '/bin/bash', groups: ['sudo', 'www-data'] }), []));

  it('fails a user that does not exist', () => assert.deepEqual(evaluateUser('', '', { shell: '/bin/bash' }), ['does not exist']));

  it('names the actual shell when it differs', () => {
    const p = evaluateUser(passwd, groups, { shell: '/usr/sbin/nologin' });
    assert.equal(p.length, 1);
    assert.match(p[0]!, /\/bin\/bash.*\/usr\/sbin\/nologin/);
  });

  it('names each missing group, matching whole group names only', () => {
    const p = evaluateUser(passwd, groups, { groups: ['docker', 'www', 'sudo'] });
    assert.equal(p.length, 2);
    assert.match(p[0]!, /group docker$/);
    assert.match(p[1]!, /group www$/);
  });
});
