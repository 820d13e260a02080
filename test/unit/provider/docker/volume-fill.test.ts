import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { describe, it } from 'mocha';
import { bindOptions, HOST_VOLUMES, hostFolder, sweepHostFolders } from '../../../../harness/provider/docker/volume-fill.js';

describe('provider/docker/volume-fill: host folders of volumes', () => {
  it("a Shakedown volume's folder is named like it, under one root, and its volume binds it", () => {
    assert.equal(hostFolder('sd-e1234abcd-db-1-pgdata'), `${HOST_VOLUMES}/sd-e1234abcd-db-1-pgdata`);
    assert.deepEqual(bindOptions('sd-e1234abcd.authorized-keys'), { type: 'none', o: 'bind', device: `${HOST_VOLUMES}/sd-e1234abcd.authorized-keys` });
  });

  it('no other name makes a folder, so no name can point a removal elsewhere', () => {
    for (const name of ['..', 'data', '../etc', 'sd-x/../../etc', '']) assert.throws(() => hostFolder(name), /is not Shakedown's/);
  });

  it('sweeps a folder whose volume is gone, never one a launch makes while the volumes are listed', async () => {
    // The real root (the engine tests run as root beside the engine): names no run can have.
    const id = randomBytes(4).toString('hex');
    const [orphan, kept, racing] = [`sd-unittest${id}-orphan`, `sd-unittest${id}-kept`, `sd-unittest${id}-racing`];
    try {
      for (const n of [orphan, kept]) mkdirSync(hostFolder(n), { recursive: true });
      // The racing launch's volume is created after the listing, then its folder, before the sweep removes anything.
      await sweepHostFolders(async () => (mkdirSync(hostFolder(racing)), new Set([kept])));
      assert.deepEqual([orphan, kept, racing].map((n) => existsSync(hostFolder(n))), [false, true, true]);
    } finally {
      for (const n of [orphan, kept, racing]) rmSync(hostFolder(n), { recursive: true, force: true });
    }
  });
});
