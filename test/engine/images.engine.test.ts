import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { shakedown } from './cli.js';

describe('engine: images build', function () {
  this.timeout(60_000);

  it('skips every image whose recipe is unchanged (set-up has just built them)', async () => {
    const r = await shakedown(['images', 'build']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 5, r.stdout);
    for (const line of lines) assert.match(line, /^shakedown\/\S+\s+up to date$/);
  });
});
