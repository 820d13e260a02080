import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'mocha';

const VARS = ['TMPDIR', 'SHAKEDOWN_STATE_DIR'] as const;

/**
 * For the enclosing describe, points os.tmpdir() and the state folder into a fresh folder,
 * so a test can list what the code left there; restores both and removes the folder afterwards.
 */
export function isolatedTmpdir(): { dir: string } {
  const box = { dir: '' };
  const saved: Partial<Record<(typeof VARS)[number], string>> = {};
  before(() => {
    box.dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-unit-'));
    for (const v of VARS) if (process.env[v] !== undefined) saved[v] = process.env[v];
    process.env.TMPDIR = box.dir;
    process.env.SHAKEDOWN_STATE_DIR = path.join(box.dir, 'state');
  });
  after(() => {
    for (const v of VARS) if (saved[v] === undefined) delete process.env[v]; else process.env[v] = saved[v];
    rmSync(box.dir, { recursive: true, force: true });
  });
  return box;
}
