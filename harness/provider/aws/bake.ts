import {
  CreateImageCommand, CreateTagsCommand, DeleteTagsCommand, DescribeImagesCommand, waitUntilImageAvailable, type EC2Client, type Image,
} from '@aws-sdk/client-ec2';
import { InfrastructureError } from '../../errors.js';
import { info, type LogContext } from '../../log.js';
import { ownerLabels, type Owner } from '../labels.js';
import { launchBuilder, removeBuilder, type Builder, type BuilderRequest } from './builder.js';
import { ec2Call } from './classify.js';
import { AMI_TAG, amiLineage, amiTags, deregisterImage, type AmiLineage } from './images.js';
import { RUN_TAG, tagRecord } from './tags.js';

const IMAGE_WAIT_S = 1800;

/** Configures a running builder, baking on; returns the converge tool's version for the lineage. */
export type ConvergeBuilder = (builder: Builder) => Promise<{ tool: string }>;

export interface BakeRequest extends BuilderRequest {
  /** The lineage the AMI will carry, less what only the bake knows. */
  lineage: Omit<AmiLineage, 'tool' | 'built' | 'baseAmi'>;
  ctx: LogContext;
}

/** A finished AMI of the project with this recipe hash, if one exists: the bake is then skipped. */
export async function bakedWithHash(ec2: EC2Client, project: string, hash: string): Promise<{ id: string; lineage: AmiLineage } | undefined> {
  const { Images: found = [] } = await ec2Call(`look up AMIs with recipe ${hash}`, () => ec2.send(new DescribeImagesCommand({
    Owners: ['self'],
    Filters: [{ Name: `tag:${AMI_TAG.hash}`, Values: [hash] }, { Name: `tag:${AMI_TAG.project}`, Values: [project] }, { Name: 'state', Values: ['available'] }],
  })));
  // One still carrying a run tag is a bake in flight or one that died: not finished.
  const done = found.filter((i: Image) => !tagRecord(i.Tags)[RUN_TAG]).sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''));
  return done[0] && { id: done[0].ImageId!, lineage: amiLineage(tagRecord(done[0].Tags)) };
}

/**
 * Bakes one AMI: a builder from the base AMI, converged, imaged, tagged with its lineage. Until it
 * is finished the AMI carries the run's tags, so a killed bake's AMI and snapshots are the
 * janitor's; the builder and its group are removed whatever happens.
 */
export async function bakeAmi(ec2: EC2Client, r: BakeRequest, converge: ConvergeBuilder): Promise<{ id: string; lineage: AmiLineage }> {
  let created: Partial<Builder> = {};
  let imageId: string | undefined;
  let failed = false;
  try {
    const builder = await launchBuilder(ec2, r, (b) => (created = b));
    info(r.ctx, `builder ${builder.instanceId} of ${r.lineage.image} running at ${builder.publicIp}`);
    const { tool } = await converge(builder);
    const lineage: AmiLineage = { ...r.lineage, tool, baseAmi: r.ami, built: new Date().toISOString() };
    imageId = await createImage(ec2, builder.instanceId, r.owner, lineage);
    await finish(ec2, imageId, r.owner);
    return { id: imageId, lineage };
  } catch (error) {
    failed = true;
    if (imageId) await deregisterImage(ec2, imageId).catch((e) => info(r.ctx, `could not deregister the failed AMI ${imageId}, the janitor will: ${(e as Error).message}`));
    throw error;
  } finally {
    // A failure to clean up must not hide the bake's own failure; its objects carry the run's tags.
    await removeBuilder(ec2, created).catch((e) => (failed ? info(r.ctx, `could not remove the builder, the janitor will: ${(e as Error).message}`) : Promise.reject(e)));
  }
}

async function createImage(ec2: EC2Client, instanceId: string, owner: Owner, lineage: AmiLineage): Promise<string> {
  const tags = { ...amiTags(lineage), ...ownerLabels(owner) };
  const { ImageId: id } = await ec2Call(`create an AMI of ${lineage.image} from ${instanceId}`, () => ec2.send(new CreateImageCommand({
    InstanceId: instanceId,
    // AMI names are unique per account and region; the immutable tag plus the time keeps them so.
    Name: `${lineage.immutable.replace(/[^A-Za-z0-9()[\]./\-'@_]/g, '_').slice(0, 110)}-${Date.now()}`,
    Description: `Shakedown ${lineage.image} (recipe ${lineage.hash})`,
    TagSpecifications: [{ ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
  })));
  if (!id) throw new InfrastructureError(`creating an AMI of ${lineage.image} from ${instanceId} returned no image id`);
  await ec2Call(`wait for AMI ${id} of ${lineage.image}`, () => waitUntilImageAvailable({ client: ec2, maxWaitTime: IMAGE_WAIT_S }, { ImageIds: [id] }));
  return id;
}

/** The snapshots get the AMI's lineage; then the run's tags come off both, and the AMI is the project's. */
async function finish(ec2: EC2Client, imageId: string, owner: Owner): Promise<void> {
  const { Images: [image] = [] } = await ec2Call(`describe AMI ${imageId}`, () => ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })));
  const snapshots = (image?.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s): s is string => !!s);
  const lineage = Object.entries(tagRecord(image?.Tags)).filter(([k]) => !(k in ownerLabels(owner)));
  if (snapshots.length) {
    await ec2Call(`tag the snapshots of ${imageId}`, () => ec2.send(new CreateTagsCommand({ Resources: snapshots, Tags: lineage.map(([Key, Value]) => ({ Key, Value })) })));
  }
  await ec2Call(`hand AMI ${imageId} over to the project`, () => ec2.send(new DeleteTagsCommand({ Resources: [imageId], Tags: Object.keys(ownerLabels(owner)).map((Key) => ({ Key })) })));
}
