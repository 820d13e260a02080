import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `env ssh` without --exec prints a command that needs its key file afterwards, so the folder
// outlives the process; whatever ends the environment removes it by this name.
const prefix = (envId: string) => `shakedown-${envId}-`;

/** A new folder (0700) for an environment's key, known_hosts and ssh_config, under the temp folder. */
export function makeSshDir(envId: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix(envId)));
}

/** Removes every folder makeSshDir made for the environment; returns them. */
export function removeSshDirs(envId: string): string[] {
  const dirs = readdirSync(os.tmpdir()).filter((f) => f.startsWith(prefix(envId))).map((f) => path.join(os.tmpdir(), f));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return dirs;
}
