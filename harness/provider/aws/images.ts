import { DeleteSnapshotCommand, DeregisterImageCommand, DescribeImagesCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { BadInputError } from '../../errors.js';
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

/** Tags for a baked AMI and its snapshots: its image name, recipe hash and lineage, and the run that baked it. */
export function imageTags(image: string, recipeHash: string, run: string, base?: string): Record<string, string> {
  return { [IMAGE_TAG]: image, 'shakedown.recipe': recipeHash, ...(base && { 'shakedown.lineage': base }), [LABEL.run]: run, Name: image };
}
