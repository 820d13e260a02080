import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'mocha';
import { BUILDER_LABEL, builderOwner, builderValue } from '../../../harness/images/builder-label.js';
import { roleDockerfile } from '../../../harness/images/role-dockerfile.js';
import { janitorVerdict, LABEL, processStart } from '../../../harness/provider/labels.js';

const now = new Date('2030-01-01T12:00:00Z');

describe('images/builder-label', () => {
  it("names this process, so the janitor leaves a live build's builder alone", () => {
    const owner = builderOwner(builderValue(now))!;
    assert.equal(owner[LABEL.pid], String(process.pid));
    assert.equal(owner[LABEL.pidStart], processStart(process.pid));
    assert.equal(owner[LABEL.host], os.hostname());
    assert.deepEqual(janitorVerdict(owner, now), { remove: false, reason: `run images-build is live (pid ${process.pid})` });
  });

  it("lets the janitor remove a builder whose process is gone", () => {
    const owner = builderOwner(`pid=4242 start=777 host=${os.hostname()} expires=2030-01-01T13:00:00.000Z`)!;
    assert.deepEqual(janitorVerdict(owner, now, () => false), { remove: true, reason: 'process 4242 of run images-build is gone' });
  });

  it("is no builder's on a finished image (emptied) or when it names no process (an older Shakedown's probe)", () => {
    assert.equal(builderOwner(''), undefined);
    assert.equal(builderOwner(undefined), undefined);
    assert.equal(builderOwner('tool-version'), undefined);
  });

  it("goes on the bake's step after the packages' layer, which stays cached", () => {
    const dockerfile = roleDockerfile({ base: 'sha256:abc', packages: ['ansible-core'], command: './apply.sh', env: {}, project: 'p', okCodes: [0], builder: 'pid=1 start=2 host=h expires=x' }).split('\n');
    const label = dockerfile.indexOf(`LABEL ${BUILDER_LABEL}="pid=1 start=2 host=h expires=x"`);
    assert.ok(label > dockerfile.findIndex((l) => l.includes('apt-get install')), dockerfile.join('\n'));
    assert.ok(dockerfile[label + 1]!.startsWith('RUN ["/bin/bash","-c","set -u'), dockerfile.join('\n'));
  });
});
