import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { InfrastructureError } from '../../errors.js';
import { packageRoot } from '../../paths.js';
import { build } from './images.js';
import { sweep } from '../../janitor/janitor.js';
import { chooseProvider, providerOption } from '../../provider/choose.js';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description("prepare this machine (Debian 12, as root): Docker engine, debootstrap, ssh; then build the project's images")
    .action(async () => {
      const r = spawnSync('bash', [path.join(packageRoot, 'scripts', 'host-setup.sh')], { stdio: 'inherit' });
      if (r.status !== 0) throw new InfrastructureError(`host set-up failed (exit ${r.status ?? r.signal}): see its output above; it needs root on Debian 12`);
      await build({});
    });
}

export function registerJanitor(program: Command): void {
  program
    .command('janitor')
    .description("remove everything whose run is over or whose expiry has passed; leave live runs alone")
    .option('--dry-run', 'only say what would be removed')
    .option('--json', 'print JSON')
    .addOption(providerOption())
    .action(async (o: { dryRun?: boolean; json?: boolean; provider?: string }) => {
      const r = await sweep(await chooseProvider(o.provider), { dryRun: o.dryRun });
      if (o.json) return void process.stdout.write(JSON.stringify({ removed: r.removed.map(brief), kept: r.kept.map(brief) }) + '\n');
      for (const x of r.removed) process.stdout.write(`${o.dryRun ? 'would remove' : 'removed'} ${x.kind} ${x.name}: ${x.reason}\n`);
      for (const x of r.kept) process.stdout.write(`left ${x.kind} ${x.name}: ${x.reason}\n`);
      process.stdout.write(`${r.removed.length} ${o.dryRun ? 'to remove' : 'removed'}, ${r.kept.length} left\n`);
    });
}

const brief = (x: { kind: string; name: string; reason: string }) => ({ kind: x.kind, name: x.name, reason: x.reason });
