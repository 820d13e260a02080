import {
  AllocateAddressCommand, AssociateAddressCommand, AssociateRouteTableCommand, AttachInternetGatewayCommand, AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand, CreateImageCommand, CreateInternetGatewayCommand, CreateRouteTableCommand,
  CreateSecurityGroupCommand, CreateSnapshotCommand, DescribeImagesCommand, CreateSubnetCommand, CreateVolumeCommand, CreateVpcCommand, ImportKeyPairCommand,
  RunInstancesCommand, type EC2Client, type ResourceType,
} from '@aws-sdk/client-ec2';

/** Every kind of object the provider makes or bakes, as ids. */
export interface World {
  vpc: string; subnet: string; igw: string; routeTable: string; groups: string[]; instance: string;
  volume: string; address: string; keyPair: string; keyName: string; image: string; imageSnapshots: string[]; snapshot: string;
}

/**
 * Makes, on moto, one of everything an environment and a bake leave on EC2, each tagged with
 * `tags` (an empty record makes them untagged), wired as a stack would wire them: groups that
 * name each other, a volume attached, an address associated, a route table associated.
 */
export async function makeWorld(ec2: EC2Client, ami: string, tags: Record<string, string>): Promise<World> {
  const spec = (ResourceType: ResourceType) => (Object.keys(tags).length ? [{ ResourceType, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] : undefined);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.77.0.0/16', TagSpecifications: spec('vpc') }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.77.1.0/24', TagSpecifications: spec('subnet') }))).Subnet!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: spec('internet-gateway') }))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const routeTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc, TagSpecifications: spec('route-table') }))).RouteTable!.RouteTableId!;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTable, SubnetId: subnet.SubnetId! }));
  const groups = await Promise.all(['intra', 'bastion'].map(async (name) =>
    (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-${Math.random().toString(36).slice(2, 8)}`, Description: name, VpcId: vpc, TagSpecifications: spec('security-group') }))).GroupId!,
  ));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[0], IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: groups[1] }] }] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[1], IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groups[0] }] }] }));
  const instance = (await ec2.send(new RunInstancesCommand({
    ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, SecurityGroupIds: groups, TagSpecifications: spec('instance'),
  }))).Instances![0]!.InstanceId!;
  const volume = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: subnet.AvailabilityZone, Size: 8, VolumeType: 'gp3', TagSpecifications: spec('volume') }))).VolumeId!;
  await ec2.send(new AttachVolumeCommand({ VolumeId: volume, InstanceId: instance, Device: '/dev/sdf' }));
  const address = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: spec('elastic-ip') }))).AllocationId!;
  await ec2.send(new AssociateAddressCommand({ AllocationId: address, InstanceId: instance }));
  const keyName = `k-${Math.random().toString(36).slice(2, 8)}`;
  const keyPair = (await ec2.send(new ImportKeyPairCommand({
    KeyName: keyName,
    PublicKeyMaterial: Buffer.from('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfaLBYd37nmj0YWWAdCrn522ezAJytEco19VO8Whejc builder'),
    TagSpecifications: spec('key-pair'),
  }))).KeyPairId!;
  const image = (await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: `img-${Math.random().toString(36).slice(2, 8)}`, TagSpecifications: spec('image') }))).ImageId!;
  const snapshot = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volume, TagSpecifications: spec('snapshot') }))).SnapshotId!;
  const described = (await ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images![0]!;
  const imageSnapshots = (described.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s): s is string => !!s);
  return { vpc, subnet: subnet.SubnetId!, igw, routeTable, groups, instance, volume, address, keyPair, keyName, image, imageSnapshots, snapshot };
}
