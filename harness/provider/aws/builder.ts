import {
  AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DeleteSecurityGroupCommand, DescribeInstancesCommand, DescribeSubnetsCommand,
  RunInstancesCommand, TerminateInstancesCommand, waitUntilInstanceRunning, waitUntilInstanceTerminated, type EC2Client, type ResourceType, type _InstanceType,
} from '@aws-sdk/client-ec2';
import { BadInputError, InfrastructureError } from '../../errors.js';
import type { Owner } from '../labels.js';
import { ec2Call, isGone } from './classify.js';
import type { AwsSettings } from './settings.js';
import { ownerTags } from './tags.js';

const WAIT_S = 600;
/** Marks a bake's builder instance and its group among a run's objects. */
export const BUILDER_TAG = 'shakedown.builder';

/** A running builder instance: reached on its public address, by the run's key. */
export interface Builder {
  instanceId: string;
  groupId: string;
  publicIp: string;
}

export interface BuilderRequest {
  owner: Owner;
  /** What the builder bakes (the role image's tag), for its tags and errors. */
  image: string;
  ami: string;
  instanceType: string;
  userData: string;
  settings: Pick<AwsSettings, 'sshCidr' | 'vpcId' | 'subnetId' | 'region'>;
}

const tagSpec = (ResourceType: ResourceType, tags: Record<string, string>) => ({ ResourceType, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });

/**
 * A security group open to the configured CIDR on port 22 and an instance from the base AMI in
 * it, both tagged as the run's (so the janitor removes them if this process dies). On a failure
 * after the group exists, `onCreated` has already been told what to remove.
 */
export async function launchBuilder(ec2: EC2Client, r: BuilderRequest, onCreated: (b: Partial<Builder>) => void): Promise<Builder> {
  const tags = ownerTags(r.owner, 'builder', { [BUILDER_TAG]: r.image });
  const subnet = await builderSubnet(ec2, r.settings);
  const groupId = (await ec2Call(`create the builder's security group for ${r.image}`, () => ec2.send(new CreateSecurityGroupCommand({
    GroupName: `sd-${r.owner.env}`, Description: `Shakedown bake of ${r.image}: SSH from the configured CIDR`, VpcId: subnet.vpcId,
    TagSpecifications: [tagSpec('security-group', tags)],
  })))).GroupId!;
  onCreated({ groupId });
  await ec2Call(`open port 22 of ${groupId}`, () => ec2.send(new AuthorizeSecurityGroupIngressCommand({
    GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: r.settings.sshCidr, Description: 'the harness' }] }],
  })));
  const instanceId = (await ec2Call(`launch the builder of ${r.image} from ${r.ami}`, () => ec2.send(new RunInstancesCommand({
    ImageId: r.ami, InstanceType: r.instanceType as _InstanceType, MinCount: 1, MaxCount: 1,
    NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.subnetId, Groups: [groupId], AssociatePublicIpAddress: true, DeleteOnTermination: true }],
    UserData: Buffer.from(r.userData).toString('base64'),
    MetadataOptions: { HttpTokens: 'required' },
    TagSpecifications: [tagSpec('instance', tags), tagSpec('volume', tags)],
  })))).Instances![0]!.InstanceId!;
  onCreated({ groupId, instanceId });
  await ec2Call(`wait for the builder ${instanceId} to run`, () => waitUntilInstanceRunning({ client: ec2, maxWaitTime: WAIT_S }, { InstanceIds: [instanceId] }));
  const described = await ec2Call(`describe the builder ${instanceId}`, () => ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })));
  const publicIp = described.Reservations?.[0]?.Instances?.[0]?.PublicIpAddress;
  if (!publicIp) throw new InfrastructureError(`the builder ${instanceId} of ${r.image} got no public address: its subnet must be public (aws.subnetId)`);
  return { instanceId, groupId, publicIp };
}

/** The configured subnet, else the default VPC's first default subnet. */
async function builderSubnet(ec2: EC2Client, s: BuilderRequest['settings']): Promise<{ subnetId: string; vpcId: string }> {
  if (s.subnetId && s.vpcId) return { subnetId: s.subnetId, vpcId: s.vpcId };
  const { Subnets: found = [] } = await ec2Call('find a default subnet for the builder', () =>
    ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] })));
  const subnet = found.sort((a, b) => (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''))[0];
  if (!subnet) throw new BadInputError(`${s.region} has no default VPC for the builder: name a public subnet in aws.vpcId and aws.subnetId`);
  return { subnetId: subnet.SubnetId!, vpcId: subnet.VpcId! };
}

/** Terminates the builder, waits until it is gone (the group is in use until then), deletes the group. */
export async function removeBuilder(ec2: EC2Client, b: Partial<Builder>): Promise<void> {
  const tolerate = (e: unknown) => (isGone(e) ? undefined : Promise.reject(e));
  if (b.instanceId) {
    const ids = [b.instanceId];
    await ec2Call(`terminate the builder ${b.instanceId}`, () => ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }))).catch(tolerate);
    await ec2Call(`wait for the builder ${b.instanceId} to terminate`, () => waitUntilInstanceTerminated({ client: ec2, maxWaitTime: WAIT_S }, { InstanceIds: ids }));
  }
  if (b.groupId) await ec2Call(`delete the builder's security group ${b.groupId}`, () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: b.groupId }))).catch(tolerate);
}
