import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Loaded with --require, before any test file: everything the tests (and the CLI processes they
// start) put under os.tmpdir() lands in one folder of this run, so what a test leaves behind is
// found without mistaking another process's folders for ours.
const outer = process.env.TMPDIR;
const box = mkdtempSync(path.join(os.tmpdir(), 'shakedown-tests-'));
process.env.TMPDIR = box;

/** Mocha root hook: fails the run if a test left a temporary file or folder, then removes them all. */
export const mochaHooks = {
  afterAll(): void {
    // testcontainers keeps its own lock file there (for the reaper), and tsx its compile cache
    // (tsx-UID): the libraries', not a test's.
    const left = readdirSync(box).filter((f) => !f.startsWith('testcontainers-') && !/^tsx-\d+$/.test(f));
    rmSync(box, { recursive: true, force: true });
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    if (left.length) throw new Error(`tests left ${left.length} temporary file(s) or folder(s) behind: ${left.join(', ')}; remove them in an after or afterEach hook`);
  },
};
