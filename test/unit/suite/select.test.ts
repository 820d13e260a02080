import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { selectUnits } from '../../../harness/suite/select.js';
import { assertBadInput } from '../assert-bad-input.js';

// The example platform's suites: reboot runs on platform and platform-ha, all at once and rolling.
const names = (spec: string) => selectUnits(spec, () => 'platform').map((u) => u.name);

describe('suite/select: --suite names suites or single units', () => {
  it('a suite name selects every unit of the suite', () => {
    assert.deepEqual(names('reboot'), ['reboot', 'reboot/rolling', 'reboot@platform-ha', 'reboot/rolling@platform-ha']);
  });

  it('a unit by the name reports give it, and the plain one as MODE all on its topology', () => {
    assert.deepEqual(names('reboot/rolling@platform-ha'), ['reboot/rolling@platform-ha']);
    assert.deepEqual(names('reboot/all@platform'), ['reboot']);
    assert.deepEqual(names('reboot@platform-ha'), ['reboot@platform-ha', 'reboot/rolling@platform-ha']);
    assert.deepEqual(names('build,functional/backup-restore'), [...names('build'), 'functional/backup-restore']);
  });

  it('a pattern that matches no unit is refused in one line naming the units', () => {
    assertBadInput(() => selectUnits('reboot/sideways', () => 'platform'), /no unit of reboot matches 'reboot\/sideways': use one of reboot, reboot\/rolling/);
    assertBadInput(() => selectUnits('nosuch/rolling', () => 'platform'), /unknown suite 'nosuch'/);
  });
});
