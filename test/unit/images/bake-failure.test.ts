import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { failedTask } from '../../../harness/environment/failure-cause.js';
import { bakeFailure } from '../../../harness/images/docker-steps.js';
import { BAKE_FAILED } from '../../../harness/images/role-dockerfile.js';

describe('images/bakeFailure', () => {
  it("quotes the converge's last lines and its exit code", () => {
    const tail = ['Step 5/6 : RUN ["/bin/bash","-c","…"]', ' ---> Running in fb8ab4f2b6ed', 'fatal: no such role', `${BAKE_FAILED} 2`, 'Removing intermediate container fb8ab4f2b6ed'].join('\n');
    assert.deepEqual(bakeFailure(tail), { code: '2', lines: 'fatal: no such role', output: 'fatal: no such role' });
  });

  it("finds the marker after an error on stderr, which Docker's legacy builder wraps in colour codes", () => {
    const tail = [' ---> Running in fb8ab4f2b6ed', "\x1b[91mError: Evaluation Error: Cannot reassign variable '$defects' (file: site.pp, line: 4)", `\x1b[0m${BAKE_FAILED} 1`, 'Removing intermediate container fb8ab4f2b6ed'].join('\n');
    const error = "Error: Evaluation Error: Cannot reassign variable '$defects' (file: site.pp, line: 4)";
    assert.deepEqual(bakeFailure(tail), { code: '1', lines: error, output: error });
  });

  it('is undefined when the converge did not run to its end (a failed package install)', () => assert.equal(bakeFailure('E: Unable to locate package nope\n'), undefined));

  it("gives the converge's whole output, where the failing Ansible task is named", () => {
    const tail = [' ---> Running in fb8ab4f2b6ed', 'TASK [app : Mark the app server] ***', 'changed: [localhost]', 'TASK [app : Write the app configuration] ***',
      'fatal: [localhost]: FAILED! => {"changed": false, "msg": "Destination directory /etc/app does not exist"}', 'PLAY RECAP ***', 'localhost : ok=1 changed=1 failed=1', `${BAKE_FAILED} 2`].join('\n');
    assert.deepEqual(failedTask('ansible', bakeFailure(tail)!.output), { task: 'app : Write the app configuration', message: 'Destination directory /etc/app does not exist' });
  });
});
