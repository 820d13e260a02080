import type { Command } from 'commander';
import { buildImages, type BuildOptions } from '../../images/build.js';
import { channelSpec, promotions } from '../../images/channels.js';
import { listImages, promote, pruneImages, type ListedImage } from '../../images/manage.js';
import { baseNamed } from '../../project/index.js';
import { awsSettings, providerName, providerOption } from '../../provider/choose.js';
import { wholeNumber } from '../options.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const short = (commit: string) => (commit === 'none' ? 'none' : commit.slice(0, 12));

interface BuildFlags {
  force?: boolean;
  base?: string;
  ref?: string;
  channel?: string;
  provider?: string;
}

/** Builds what the flags ask for and prints one line per image. */
export async function build(o: BuildFlags): Promise<void> {
  const opts: BuildOptions = { force: o.force, bases: o.base ? [baseNamed(o.base)] : undefined, ref: o.ref };
  if (o.channel) {
    const c = channelSpec(o.channel);
    opts.ref ??= c.ref;
    opts.versions = [c.version];
  }
  if (providerName(o.provider) === 'aws') return buildAmis(opts);
  for (const r of await buildImages(opts)) {
    const origin = r.lineage.role === 'base' ? '' : ` commit ${short(r.lineage.commit)}${r.lineage.dirty ? ' (dirty)' : ''}`;
    const what = r.built ? `built in ${(r.ms / 1000).toFixed(1)} s` : r.sameAs ? `up to date (labelled; baked as ${r.sameAs})` : 'up to date';
    out(`${r.image.padEnd(60)} ${what}${origin}`);
  }
}

/** AMIs instead of Docker images; the AWS SDK loads only here. */
async function buildAmis(opts: BuildOptions): Promise<void> {
  const settings = awsSettings();
  const { buildAmis: bake } = await import('../../provider/aws/ami-build.js');
  for (const r of await bake(settings, opts)) {
    const what = r.built ? `baked in ${(r.ms / 1000).toFixed(1)} s` : r.sameAs ? `up to date (baked as ${r.sameAs})` : 'up to date';
    out(`${r.image.padEnd(60)} ${r.ami.padEnd(22)} ${what} commit ${short(r.lineage.commit)}${r.lineage.dirty ? ' (dirty)' : ''}`);
  }
}

function row(i: ListedImage): string {
  const commit = `${short(i.commit)}${i.dirty ? '+dirty' : ''}`;
  return [i.tag.padEnd(62), commit.padEnd(19), i.ref.padEnd(14), i.built.slice(0, 19).padEnd(20), (i.channels.join(',') || '-').padEnd(14), i.usedBy ? `${i.usedBy} container(s)` : '-'].join(' ');
}

export function registerImages(program: Command): void {
  const images = program.command('images').description('reference images: build, list, promote between channels, prune');
  images
    .command('build')
    .description("build the base image and the project's role images whose recipe is new, for every version; with --provider aws, bake AMIs")
    .option('--force', 'rebuild even when the recipe is unchanged')
    .option('--base <name>', 'build on this base only (default: every base of the project)')
    .option('--ref <ref>', 'build from the project as committed at this git ref (branch, tag, commit), never the working tree')
    .option('--channel <name>', "build a channel's images: its ref and version from the project file")
    .addOption(providerOption())
    .action(build);
  images
    .command('ls')
    .description('list role images with their lineage, channels and users')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const all = await listImages();
      if (o.json) return out(JSON.stringify(all, null, 2));
      out(['IMAGE'.padEnd(62), 'COMMIT'.padEnd(19), 'REF'.padEnd(14), 'BUILT'.padEnd(20), 'CHANNELS'.padEnd(14), 'USED BY'].join(' '));
      all.forEach((i) => out(row(i)));
    });
  images
    .command('promote')
    .description("move a channel to the images a passing run used; a failed or flaky run moves nothing")
    .argument('<channel>', 'production, development or branch-NAME')
    .requiredOption('--from <results>', "the run's results folder (or its report.json)")
    .action((channel: string, o: { from: string }) => {
      const p = promote(channel, o.from);
      out(`${channel} now points at the images of run ${p.run}:`);
      p.images.forEach((i) => out(`  ${i.tag} (commit ${short(i.commit)})`));
    });
  images
    .command('history')
    .description('promotions, oldest first: when, which run, which images')
    .argument('[channel]', 'only this channel')
    .option('--json', 'print JSON')
    .action((channel: string | undefined, o: { json?: boolean }) => {
      const all = promotions().filter((p) => !channel || p.channel === channel);
      if (o.json) return out(JSON.stringify(all, null, 2));
      for (const p of all) out(`${p.at} ${p.channel.padEnd(14)} run ${p.run}: ${p.images.map((i) => `${i.role}:${i.version}@${short(i.commit)}`).join(' ')}`);
    });
  images
    .command('prune')
    .description('remove old role images: keep the newest N per role, version and base and per channel, and any image in use')
    .requiredOption('--keep <n>', 'how many to keep', wholeNumber('--keep', 1, 1000))
    .option('--dry-run', 'only say what would be removed')
    .action(async (o: { keep: number; dryRun?: boolean }) => {
      const r = await pruneImages(o.keep, o.dryRun);
      r.removed.forEach((i) => out(`${o.dryRun ? 'would remove' : 'removed'} ${i.tag}`));
      out(`${r.removed.length} ${o.dryRun ? 'to remove' : 'removed'}, ${r.kept.length} kept`);
    });
}
