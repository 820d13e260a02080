import { DescribeImagesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { BadInputError } from '../../errors.js';
import type { BaseName } from '../../project/schema.js';
import { ec2Call } from './classify.js';

/** The Debian project's AWS account: its official AMIs are owned by it. */
export const DEBIAN_OWNER = '136693071363';

export interface BaseAmi {
  id: string;
  name: string;
}

/** The official AMI of a base, by the Debian account's naming: `debian-12-amd64-<date>-<build>`. */
export const debianNameFilter = (base: BaseName) => `${base}-amd64-*`;

/**
 * The AMI a bake starts from: the one the project names (aws.baseAmi), else the newest official
 * Debian AMI of the base in the region. Neither found is bad input, before anything is created.
 */
export async function baseAmi(ec2: EC2Client, base: BaseName, region: string, named?: string): Promise<BaseAmi> {
  if (named) {
    const { Images: [image] = [] } = await ec2Call(`look up aws.baseAmi ${named}`, () => ec2.send(new DescribeImagesCommand({ ImageIds: [named] })))
      .catch((e) => (unknownAmi(e) ? { Images: [] } : Promise.reject(e)));
    if (!image || image.State !== 'available') throw new BadInputError(`aws.baseAmi ${named} is not an available AMI in ${region}: fix aws.baseAmi, or drop it for the official Debian AMI`);
    return { id: named, name: image.Name ?? named };
  }
  const filter = debianNameFilter(base);
  const { Images: found = [] } = await ec2Call(`look up the official ${base} AMI`, () =>
    ec2.send(new DescribeImagesCommand({
      Owners: [DEBIAN_OWNER],
      Filters: [{ Name: 'name', Values: [filter] }, { Name: 'architecture', Values: ['x86_64'] }, { Name: 'state', Values: ['available'] }],
    })),
  );
  const newest = found.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  if (!newest) throw new BadInputError(`no AMI owned by ${DEBIAN_OWNER} (Debian) is named ${filter} in ${region}: name one in aws.baseAmi`);
  return { id: newest.ImageId!, name: newest.Name ?? newest.ImageId! };
}

const unknownAmi = (e: unknown) => /^InvalidAMIID\./.test(((e as { cause?: { name?: string } }).cause?.name) ?? '');
