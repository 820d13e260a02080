import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { makeSshDir, removeSshDirs } from '../../../harness/environment/ssh-dir.js';
import { isolatedTmpdir } from '../isolated-tmpdir.js';

describe('environment/ssh-dir', () => {
  const tmp = isolatedTmpdir();

  it('makes a folder only its owner can enter, named after the environment, under the temp folder', () => {
    const dir = makeSshDir('e0000000a');
    assert.equal(path.dirname(dir), tmp.dir);
    assert.match(path.basename(dir), /^shakedown-e0000000a-\w{6}$/);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it("removes every folder of one environment and no other's", () => {
    const mine = [makeSshDir('e0000000b'), makeSshDir('e0000000b')];
    const other = makeSshDir('e0000000c');
    assert.deepEqual(removeSshDirs('e0000000b').sort(), mine.sort());
    assert.ok(mine.every((d) => !existsSync(d)));
    assert.ok(existsSync(other));
    assert.deepEqual(removeSshDirs('e0000000d'), []);
    assert.ok(readdirSync(tmp.dir).includes(path.basename(other)));
  });
});
