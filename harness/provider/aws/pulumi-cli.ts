import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pulumi from '@pulumi/pulumi';
import { BadInputError } from '../../errors.js';

/** The CLI version that matches the pinned @pulumi/pulumi; scripts/setup-aws.sh builds it here. */
export const PULUMI_VERSION = '3.248.0';

/** Where setup caches the CLI it builds: ROOT/bin/pulumi. */
export function cachedPulumiRoot(): string {
  return process.env.SHAKEDOWN_PULUMI_ROOT ?? path.join(process.env.SHAKEDOWN_CACHE ?? path.join(os.homedir(), '.cache', 'shakedown'), 'pulumi', PULUMI_VERSION);
}

let found: Promise<pulumi.automation.PulumiCommand> | undefined;

/** The pulumi CLI: the one on PATH, else the one setup built; a one-line error says how to get one. */
export function pulumiCommand(): Promise<pulumi.automation.PulumiCommand> {
  found ??= (async () => {
    const root = cachedPulumiRoot();
    await buildInProgress(root);
    if (existsSync(path.join(root, 'bin', 'pulumi'))) return pulumi.automation.PulumiCommand.get({ root, skipVersionCheck: true });
    if (onPath()) return pulumi.automation.PulumiCommand.get({ skipVersionCheck: true });
    const log = path.join(root, 'build.log');
    throw new BadInputError(`no pulumi CLI on PATH or in ${root}${existsSync(log) ? ` (the last build's log: ${log})` : ''}: install it (pulumi.com/docs/install) or run 'bash scripts/setup-aws.sh'`);
  })();
  found.catch(() => (found = undefined));
  return found;
}

function onPath(): boolean {
  try {
    execFileSync('pulumi', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const BUILD_WAIT_MS = 30 * 60_000;

/**
 * Setup builds the CLI in the background (several minutes, once) while the rest goes on: wait for
 * a build still running, as its pid file says, then look for the binary it leaves.
 */
async function buildInProgress(root: string): Promise<void> {
  const pidFile = path.join(root, 'building.pid');
  const deadline = Date.now() + BUILD_WAIT_MS;
  let said = false;
  for (;;) {
    let pid: number;
    try {
      pid = Number(readFileSync(pidFile, 'utf8').trim());
    } catch {
      return;
    }
    if (!alive(pid)) return;
    if (Date.now() > deadline) throw new BadInputError(`the pulumi CLI build (pid ${pid}, log ${path.join(root, 'build.log')}) is still running after ${BUILD_WAIT_MS / 60_000} minutes: wait for it, or stop it and run 'bash scripts/setup-aws.sh'`);
    if (!said) process.stderr.write(`waiting for the pulumi CLI that setup is building (pid ${pid}, log ${path.join(root, 'build.log')})\n`);
    said = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return Number.isInteger(pid) && pid > 0;
  } catch {
    return false;
  }
}
