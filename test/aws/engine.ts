import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../harness/paths.js';

/**
 * Puts Pulumi's Node.js dynamic-provider plugin on PATH. The pulumi distribution ships it as a
 * script beside the CLI; the CLI built from Go modules has none, and it is only a call into
 * @pulumi/pulumi's own dynamic-provider entry point.
 */
export function dynamicProviderOnPath(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pulumi-plugins-'));
  const script = path.join(dir, 'pulumi-resource-pulumi-nodejs');
  const entry = path.join(packageRoot, 'node_modules', '@pulumi', 'pulumi', 'cmd', 'dynamic-provider');
  writeFileSync(script, `#!/bin/sh\nexec node ${JSON.stringify(entry)} "$@"\n`);
  chmodSync(script, 0o755);
  const before = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${before}`;
  return () => {
    process.env.PATH = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
