import {
  DeleteInternetGatewayCommand, DeleteKeyPairCommand, DeleteNetworkInterfaceCommand, DeleteRouteTableCommand,
  DeleteSecurityGroupCommand, DeleteSnapshotCommand, DeleteSubnetCommand, DeleteVolumeCommand, DeleteVpcCommand,
  DescribeAddressesCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand, DescribeNetworkInterfacesCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand, DescribeSubnetsCommand, DescribeVolumesCommand, DescribeVpcsCommand, DetachInternetGatewayCommand,
  DetachVolumeCommand, DisassociateAddressCommand, DisassociateRouteTableCommand, ReleaseAddressCommand, RevokeSecurityGroupIngressCommand,
  TerminateInstancesCommand, waitUntilInstanceTerminated, waitUntilVolumeAvailable, type EC2Client, type Filter, type Tag,
} from '@aws-sdk/client-ec2';
import type { Leftover } from '../provider.js';
import { ec2Call, isGone } from './classify.js';
import { deregisterImage } from './images.js';
import { RUN_TAG, tagRecord } from './tags.js';

const TAGGED: Filter[] = [{ Name: 'tag-key', Values: [RUN_TAG] }];
const ALIVE: Filter = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] };
const WAIT_S = 600;

type Ec2Leftover = Leftover & { detail?: Record<string, string> };
const item = (kind: Leftover['kind'], id: string | undefined, tags: Tag[] | undefined, detail?: Record<string, string>): Ec2Leftover => {
  const labels = tagRecord(tags);
  return { kind, id: id ?? '', name: labels.Name ?? id ?? '', labels, ...(detail && { detail }) };
};

/** Everything on EC2 that carries Shakedown's run tag, live runs included: the janitor judges it by its tags. */
export async function taggedOnEc2(ec2: EC2Client): Promise<Ec2Leftover[]> {
  const list = <T>(what: string, call: () => Promise<T>) => ec2Call(`list tagged ${what}`, call);
  const [instances, addresses, enis, volumes, images, snapshots, keys, groups, routes, igws, subnets, vpcs] = await Promise.all([
    list('instances', () => ec2.send(new DescribeInstancesCommand({ Filters: [...TAGGED, ALIVE] }))),
    list('addresses', () => ec2.send(new DescribeAddressesCommand({ Filters: TAGGED }))),
    list('network interfaces', () => ec2.send(new DescribeNetworkInterfacesCommand({ Filters: TAGGED }))),
    list('volumes', () => ec2.send(new DescribeVolumesCommand({ Filters: TAGGED }))),
    list('images', () => ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: TAGGED }))),
    list('snapshots', () => ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: TAGGED }))),
    list('key pairs', () => ec2.send(new DescribeKeyPairsCommand({ Filters: TAGGED }))),
    list('security groups', () => ec2.send(new DescribeSecurityGroupsCommand({ Filters: TAGGED }))),
    list('route tables', () => ec2.send(new DescribeRouteTablesCommand({ Filters: TAGGED }))),
    list('internet gateways', () => ec2.send(new DescribeInternetGatewaysCommand({ Filters: TAGGED }))),
    list('subnets', () => ec2.send(new DescribeSubnetsCommand({ Filters: TAGGED }))),
    list('VPCs', () => ec2.send(new DescribeVpcsCommand({ Filters: TAGGED }))),
  ]);
  return [
    ...(instances.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => item('instance', i.InstanceId, i.Tags)),
    ...(addresses.Addresses ?? []).map((a) => item('address', a.AllocationId, a.Tags, a.AssociationId ? { association: a.AssociationId } : undefined)),
    ...(enis.NetworkInterfaces ?? []).map((n) => item('network-interface', n.NetworkInterfaceId, n.TagSet)),
    ...(volumes.Volumes ?? []).map((v) => item('volume', v.VolumeId, v.Tags, attachedTo(v.Attachments))),
    ...(images.Images ?? []).map((i) => item('image', i.ImageId, i.Tags)),
    ...(snapshots.Snapshots ?? []).map((s) => item('snapshot', s.SnapshotId, s.Tags)),
    ...(keys.KeyPairs ?? []).map((k) => item('key-pair', k.KeyPairId, k.Tags, { name: k.KeyName ?? '' })),
    ...(groups.SecurityGroups ?? []).map((g) => item('security-group', g.GroupId, g.Tags)),
    ...(routes.RouteTables ?? []).map((t) => item('route-table', t.RouteTableId, t.Tags, associations(t.Associations))),
    ...(igws.InternetGateways ?? []).map((g) => item('internet-gateway', g.InternetGatewayId, g.Tags, Object.fromEntries((g.Attachments ?? []).map((a, i) => [`vpc${i}`, a.VpcId ?? ''])))),
    ...(subnets.Subnets ?? []).map((s) => item('subnet', s.SubnetId, s.Tags)),
    ...(vpcs.Vpcs ?? []).map((v) => item('vpc', v.VpcId, v.Tags)),
  ];
}

const attachedTo = (as: { InstanceId?: string }[] | undefined) => {
  const ids = (as ?? []).map((a) => a.InstanceId).filter((x): x is string => !!x);
  return ids.length ? { instance: ids[0]! } : undefined;
};
const associations = (as: { RouteTableAssociationId?: string; Main?: boolean }[] | undefined) =>
  Object.fromEntries((as ?? []).filter((a) => !a.Main && a.RouteTableAssociationId).map((a, i) => [`assoc${i}`, a.RouteTableAssociationId!]));

/**
 * Removes EC2 objects in the order their dependencies allow: instances (and waits until they are
 * terminated), then what they held, then the network. Already-gone objects are not an error.
 */
export async function removeFromEc2(ec2: EC2Client, leftovers: Leftover[]): Promise<void> {
  const of = (kind: Leftover['kind']) => leftovers.filter((l) => l.kind === kind) as Ec2Leftover[];
  const each = (kind: Leftover['kind'], doing: string, fn: (l: Ec2Leftover) => Promise<unknown>) =>
    Promise.all(of(kind).map((l) => ec2Call(`${doing} ${l.id}`, () => fn(l)).catch((e) => (isGone(e) ? undefined : Promise.reject(e)))));
  const instances = of('instance').map((l) => l.id);
  if (instances.length) {
    await ec2Call('terminate instances', () => ec2.send(new TerminateInstancesCommand({ InstanceIds: instances })));
    await ec2Call('wait for instances to terminate', () => waitUntilInstanceTerminated({ client: ec2, maxWaitTime: WAIT_S }, { InstanceIds: instances }));
  }
  await each('address', 'release address', async (l) => {
    if (l.detail?.association) await ec2.send(new DisassociateAddressCommand({ AssociationId: l.detail.association }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId: l.id }));
  });
  await each('volume', 'delete volume', async (l) => {
    // EC2 wants the instance named (moto answers 500 without it); a terminated one has let go already.
    if (l.detail?.instance && !instances.includes(l.detail.instance)) {
      await ec2.send(new DetachVolumeCommand({ VolumeId: l.id, InstanceId: l.detail.instance, Force: true }));
      await waitUntilVolumeAvailable({ client: ec2, maxWaitTime: WAIT_S }, { VolumeIds: [l.id] });
    }
    await ec2.send(new DeleteVolumeCommand({ VolumeId: l.id }));
  });
  await each('network-interface', 'delete network interface', (l) => ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: l.id })));
  await each('image', 'deregister image', (l) => deregisterImage(ec2, l.id));
  await each('snapshot', 'delete snapshot', (l) => ec2.send(new DeleteSnapshotCommand({ SnapshotId: l.id })));
  // By name: every EC2 (and moto) accepts it; the id only where the name is unknown.
  await each('key-pair', 'delete key pair', (l) => ec2.send(new DeleteKeyPairCommand(l.detail?.name ? { KeyName: l.detail.name } : { KeyPairId: l.id })));
  await removeSecurityGroups(ec2, of('security-group').map((l) => l.id));
  await each('route-table', 'delete route table', async (l) => {
    for (const assoc of Object.values(l.detail ?? {})) await ec2.send(new DisassociateRouteTableCommand({ AssociationId: assoc }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: l.id }));
  });
  await each('internet-gateway', 'delete internet gateway', async (l) => {
    for (const vpc of Object.values(l.detail ?? {})) await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: l.id, VpcId: vpc }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: l.id }));
  });
  await each('subnet', 'delete subnet', (l) => ec2.send(new DeleteSubnetCommand({ SubnetId: l.id })));
  await each('vpc', 'delete VPC', (l) => ec2.send(new DeleteVpcCommand({ VpcId: l.id })));
}

/** Groups that name each other in their rules cannot be deleted until those rules go. */
async function removeSecurityGroups(ec2: EC2Client, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const { SecurityGroups: groups = [] } = await ec2Call('read security groups', () => ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids })))
    .catch((e) => (isGone(e) ? { SecurityGroups: [] } : Promise.reject(e)));
  for (const g of groups) {
    const referring = (g.IpPermissions ?? []).filter((p) => (p.UserIdGroupPairs ?? []).length);
    if (referring.length) await ec2Call(`revoke rules of ${g.GroupId}`, () => ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: referring })));
  }
  await Promise.all(groups.map((g) =>
    ec2Call(`delete security group ${g.GroupId}`, () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })))
      .catch((e) => (isGone(e) ? undefined : Promise.reject(e))),
  ));
}
