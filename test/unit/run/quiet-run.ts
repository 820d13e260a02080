import { rmSync } from 'node:fs';
import { after, before, beforeEach } from 'mocha';
import { isQuiet, setLogLevel } from '../../../harness/log.js';
import { stateDir } from '../../../harness/paths.js';
import { isolatedTmpdir } from '../isolated-tmpdir.js';

/**
 * Hooks for a describe block that runs whole qualifications on the fake provider: its own temporary
 * directory, the log quiet, and a state directory (history, records) emptied before each test.
 */
export function quietRuns(): void {
  isolatedTmpdir();
  let wasQuiet = false;
  before(() => ((wasQuiet = isQuiet()), setLogLevel({ quiet: true })));
  after(() => setLogLevel({ quiet: wasQuiet }));
  beforeEach(() => rmSync(stateDir(), { recursive: true, force: true }));
}
