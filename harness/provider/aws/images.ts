import { DeleteSnapshotCommand, DeregisterImageCommand, DescribeImagesCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { BadInputError } from '../../errors.js';
import type { Lineage } from '../../images/lineage.js';
import { LABEL } from '../labels.js';
import { ec2Call, isGone } from './classify.js';

/** The tag a baked AMI carries: the same name as the role image it stands for on Docker. */
export const IMAGE_TAG = 'shakedown.image';

/** The AMI baked for each image name, newest first when several exist; a missing one names the fix. */
export async function amisFor(ec2: EC2Client, images: string[], region: string): Promise<Map<string, string>> {
  const wanted = [...new Set(images)];
  if (!wanted.length) return new Map();
  const { Images: found = [] } = await ec2Call('look up AMIs', () =>
    ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${IMAGE_TAG}`, Values: wanted }, { Name: 'state', Values: ['available'] }] })),
  );
  const newest = new Map<string, Image>();
  for (const image of found) {
    const name = image.Tags?.find((t) => t.Key === IMAGE_TAG)?.Value ?? '';
    const seen = newest.get(name);
    if (!seen || (image.CreationDate ?? '') > (seen.CreationDate ?? '')) newest.set(name, image);
  }
  const missing = wanted.filter((w) => !newest.has(w));
  if (missing.length) throw new BadInputError(`no AMI in ${region} is tagged ${IMAGE_TAG}=${missing.join(', ')}: bake it with 'shakedown images build --provider aws'`);
  return new Map([...newest].map(([name, image]) => [name, image.ImageId!]));
}

/** Deregisters an AMI and deletes the snapshots behind it, which deregistering leaves (and bills). */
export async function deregisterImage(ec2: EC2Client, imageId: string): Promise<void> {
  const { Images: [image] = [] } = await ec2Call(`describe image ${imageId}`, () => ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })));
  if (!image) return;
  const snapshots = (image.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s): s is string => !!s);
  await ec2Call(`deregister image ${imageId}`, () => ec2.send(new DeregisterImageCommand({ ImageId: imageId })));
  for (const id of snapshots) {
    await ec2Call(`delete snapshot ${id} of image ${imageId}`, () => ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }))).catch((e) => (isGone(e) ? undefined : Promise.reject(e)));
  }
}

/**
 * The lineage a baked AMI carries as tags: the Docker image labels' facts (the same fields as a
 * role image's `Lineage`), with what only an AMI has.
 */
export type AmiLineage = Pick<Lineage, 'role' | 'version' | 'base' | 'hash' | 'ref' | 'commit' | 'dirty' | 'tool' | 'shakedown' | 'built'> & {
  /** The role image's tag as `roleTag` writes it: what a run looks the AMI up by. */
  image: string;
  /** Its immutable tag: commit and recipe hash. */
  immutable: string;
  project: string;
  /** The AMI it was baked from. */
  baseAmi: string;
};

export const AMI_TAG = {
  immutable: 'shakedown.immutable',
  project: 'shakedown.project',
  role: 'shakedown.role',
  version: 'shakedown.version',
  base: 'shakedown.base',
  hash: 'shakedown.recipe-hash',
  ref: 'shakedown.ref',
  commit: 'shakedown.commit',
  dirty: 'shakedown.dirty',
  baseAmi: 'shakedown.base-ami',
  tool: 'shakedown.tool-version',
  shakedown: 'shakedown.shakedown-version',
  built: 'shakedown.built',
} as const;

/**
 * A baked AMI's tags (EC2 values hold 256 characters). They carry no run tag: the janitor sweeps
 * only what a run owns, and a finished AMI belongs to the project until `images prune`.
 */
export function amiTags(l: AmiLineage): Record<string, string> {
  const facts = Object.fromEntries(Object.entries(AMI_TAG).map(([k, key]) => [key, String(l[k as keyof typeof AMI_TAG]).slice(0, 256)]));
  return { [IMAGE_TAG]: l.image, ...facts, Name: l.immutable.slice(0, 256) };
}

/** The lineage of a baked AMI, read back from its tags. */
export function amiLineage(tags: Record<string, string>): AmiLineage {
  const get = (k: keyof typeof AMI_TAG) => tags[AMI_TAG[k]] ?? '';
  return {
    image: tags[IMAGE_TAG] ?? '', immutable: get('immutable'), project: get('project'), role: get('role'), version: get('version'), base: get('base'),
    hash: get('hash'), ref: get('ref'), commit: get('commit'), dirty: get('dirty') === 'true', baseAmi: get('baseAmi'), tool: get('tool'),
    shakedown: get('shakedown'), built: get('built'),
  };
}
