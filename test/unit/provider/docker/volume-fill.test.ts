import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { bindOptions, HOST_VOLUMES, hostFolder, removeHostFolder } from '../../../../harness/provider/docker/volume-fill.js';

describe('provider/docker/volume-fill: host folders of volumes', () => {
  it("a Shakedown volume's folder is named like it, under one root, and its volume binds it", () => {
    assert.equal(hostFolder('sd-e1234abcd-db-1-pgdata'), `${HOST_VOLUMES}/sd-e1234abcd-db-1-pgdata`);
    assert.deepEqual(bindOptions('sd-e1234abcd.authorized-keys'), { type: 'none', o: 'bind', device: `${HOST_VOLUMES}/sd-e1234abcd.authorized-keys` });
  });

  it('no other name makes a folder, so a volume labelled by someone else cannot point a removal elsewhere', () => {
    for (const name of ['..', 'data', '../etc', 'sd-x/../../etc', '']) assert.throws(() => hostFolder(name), /is not Shakedown's/);
    assert.doesNotThrow(() => removeHostFolder('../etc'));
  });
});
