import { BadInputError } from '../errors.js';
import { project } from '../project/index.js';
import type { BaseName } from '../project/schema.js';
import { channelImages } from './channels.js';
import { projectImages, type Lineage } from './lineage.js';

/** Which prebuilt images a run launches: the working tree's current ones, a commit's, or a channel's. */
export type ImageSource = { kind: 'working-tree' } | { kind: 'commit'; commit: string; ref: string } | { kind: 'channel'; channel: string };

export const describeSource = (s: ImageSource) =>
  s.kind === 'working-tree' ? "the working tree's images" : s.kind === 'commit' ? `the images built from ${s.ref} (commit ${s.commit.slice(0, 12)})` : `channel ${s.channel}`;

/** `role:version` → tag for a source on a base; undefined for the working tree (its plain tags). */
export async function imageMap(source: ImageSource, base: BaseName): Promise<Record<string, string> | undefined> {
  if (source.kind === 'working-tree') return undefined;
  let images: Lineage[];
  if (source.kind === 'commit') {
    images = (await projectImages(project().name)).filter((l) => l.commit === source.commit);
  } else {
    const promoted = channelImages(source.channel);
    if (!promoted) throw new BadInputError(`channel ${source.channel} has no images yet: promote a passing run's ('shakedown images promote ${source.channel} --from RESULTS')`);
    images = promoted.images;
  }
  const map: Record<string, string> = {};
  for (const l of images) if (l.base === base) map[`${l.role}:${l.version}`] ??= l.tag;
  return map;
}

/** Every server's image must be in the map: a missing one is named with the command that builds it. */
export function checkMap(map: Record<string, string> | undefined, roles: string[], version: string, source: ImageSource, base: BaseName): void {
  if (!map) return;
  const missing = roles.filter((r) => !map[`${r}:${version}`]);
  if (!missing.length) return;
  const fix = source.kind === 'commit' ? `run 'shakedown images build --ref ${source.ref}'` : `promote a run that used them`;
  throw new BadInputError(`${describeSource(source)} have no ${missing.join(', ')} image at version ${version} on ${base}: ${fix}`);
}
