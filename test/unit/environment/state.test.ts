import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'mocha';
import { makeSshDir } from '../../../harness/environment/ssh-dir.js';
import { forgetKept, listKept, saveKept } from '../../../harness/environment/state.js';
import { isolatedTmpdir } from '../isolated-tmpdir.js';
import { keptState } from './fixture.js';

describe('environment/state', () => {
  isolatedTmpdir();

  it("forgetting a kept environment removes its state file and the key folders env ssh left for it, no other's", () => {
    saveKept(keptState('e0000000a', '2030-01-01T00:00:00Z'));
    saveKept(keptState('e0000000b', '2030-01-01T00:00:00Z'));
    const [a, b] = [makeSshDir('e0000000a'), makeSshDir('e0000000b')];
    forgetKept('e0000000a');
    assert.deepEqual(listKept(), ['e0000000b']);
    assert.equal(existsSync(a), false, 'the key folder outlived the environment');
    assert.equal(existsSync(b), true);
  });
});
