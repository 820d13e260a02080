import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';
import { bindOptions, HOST_VOLUMES, hostFolder, markTopDirectory, sweepHostFolders } from '../../../../harness/provider/docker/volume-fill.js';

describe('provider/docker/volume-fill: host folders of volumes', () => {
  it("a Shakedown volume's folder is named like it, under one root, and its volume binds it", () => {
    assert.equal(hostFolder('sd-e1234abcd-db-1-pgdata'), `${HOST_VOLUMES}/sd-e1234abcd-db-1-pgdata`);
    assert.deepEqual(bindOptions('sd-e1234abcd.authorized-keys'), { type: 'none', o: 'bind', device: `${HOST_VOLUMES}/sd-e1234abcd.authorized-keys` });
  });

  it('no other name makes a folder, so no name can point a removal elsewhere', () => {
    for (const name of ['..', 'data', '../etc', 'sd-x/../../etc', '']) assert.throws(() => hostFolder(name), /is not Shakedown's/);
  });

  it('marks a folder a top directory, where ext4 puts each new folder under it in a block group of its own choosing', function () {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-topdir-'));
    try {
      if (execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim() !== 'ext2/ext3') this.skip();
      assert.equal(markTopDirectory(dir), true);
      assert.match(execFileSync('lsattr', ['-d', dir], { encoding: 'utf8' }).split(' ')[0]!, /T/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sweeps a folder whose volume is gone, never one a launch makes while the volumes are listed', async () => {
    // A folder of its own: the real root holds the folders of whatever environments are up now.
    const root = mkdtempSync(path.join(os.tmpdir(), 'shakedown-folders-'));
    const [orphan, kept, racing, other] = ['sd-e1-orphan', 'sd-e2-kept', 'sd-e3-racing', 'not-ours'].map((n) => path.join(root, n));
    try {
      for (const f of [orphan, kept, other]) mkdirSync(f!);
      // The racing launch's volume is created after the listing, then its folder, before the sweep removes anything.
      await sweepHostFolders(async () => (mkdirSync(racing!), new Set(['sd-e2-kept'])), root);
      assert.deepEqual([orphan, kept, racing, other].map((f) => existsSync(f!)), [false, true, true, true]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
