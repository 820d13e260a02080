import aws from '@pulumi/aws';
import pulumi from '@pulumi/pulumi';
import type { Owner } from '../labels.js';
import type { AwsSettings } from './settings.js';
import { ownerTags } from './tags.js';

/** Each environment's own VPC, when the project names none: environments cannot reach each other. */
export const VPC_CIDR = '10.77.0.0/16';
export const SUBNET_CIDR = '10.77.1.0/24';

export interface EnvNetwork {
  subnetId: pulumi.Input<string>;
  availabilityZone: pulumi.Input<string>;
  /** On every server: all traffic from the environment's own servers, nothing from any other. */
  intraSg: aws.ec2.SecurityGroup;
  /** On the bastion alone: its published ports, from the configured CIDR only. */
  bastionSg: aws.ec2.SecurityGroup;
}

/** The environment's network: its own VPC and public subnet, or the configured ones; its security groups. */
export function envNetwork(owner: Owner, settings: AwsSettings, publish: number[], provider: aws.Provider): EnvNetwork {
  const opts = { provider };
  const where = settings.vpcId && settings.subnetId ? existing(settings.vpcId, settings.subnetId, provider) : ownVpc(owner, provider);
  const intraSg = new aws.ec2.SecurityGroup('intra', {
    vpcId: where.vpcId,
    description: `Shakedown ${owner.env}: traffic between the environment's servers`,
    ingress: [{ protocol: '-1', fromPort: 0, toPort: 0, self: true, description: 'the same environment' }],
    egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], description: 'packages and time' }],
    tags: ownerTags(owner, 'intra'),
  }, opts);
  const bastionSg = new aws.ec2.SecurityGroup('bastion', {
    vpcId: where.vpcId,
    description: `Shakedown ${owner.env}: the bastion, from the configured CIDR only`,
    ingress: publish.map((port) => ({ protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: [settings.sshCidr], description: 'the harness' })),
    tags: ownerTags(owner, 'bastion-sg'),
  }, opts);
  return { subnetId: where.subnetId, availabilityZone: where.availabilityZone, intraSg, bastionSg };
}

function existing(vpcId: string, subnetId: string, provider: aws.Provider) {
  const subnet = aws.ec2.getSubnetOutput({ id: subnetId }, { provider });
  return { vpcId, subnetId, availabilityZone: subnet.availabilityZone };
}

function ownVpc(owner: Owner, provider: aws.Provider) {
  const opts = { provider };
  const vpc = new aws.ec2.Vpc('vpc', { cidrBlock: VPC_CIDR, enableDnsSupport: true, enableDnsHostnames: true, tags: ownerTags(owner, 'vpc') }, opts);
  const subnet = new aws.ec2.Subnet('subnet', { vpcId: vpc.id, cidrBlock: SUBNET_CIDR, tags: ownerTags(owner, 'subnet') }, opts);
  const igw = new aws.ec2.InternetGateway('igw', { vpcId: vpc.id, tags: ownerTags(owner, 'igw') }, opts);
  const routes = new aws.ec2.RouteTable('routes', {
    vpcId: vpc.id,
    routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
    tags: ownerTags(owner, 'routes'),
  }, opts);
  new aws.ec2.RouteTableAssociation('subnet-routes', { subnetId: subnet.id, routeTableId: routes.id }, opts);
  return { vpcId: vpc.id, subnetId: subnet.id, availabilityZone: subnet.availabilityZone };
}
