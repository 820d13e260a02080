import { existsSync } from 'node:fs';
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
    if (existsSync(path.join(root, 'bin', 'pulumi'))) return pulumi.automation.PulumiCommand.get({ root, skipVersionCheck: true });
    if (onPath()) return pulumi.automation.PulumiCommand.get({ skipVersionCheck: true });
    throw new BadInputError(`no pulumi CLI on PATH or in ${root}: install it (pulumi.com/docs/install) or run 'bash scripts/setup-aws.sh'`);
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
