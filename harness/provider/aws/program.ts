import aws from '@pulumi/aws';
import pulumi from '@pulumi/pulumi';
import type { Owner } from '../labels.js';
import type { ServerSpec } from '../provider.js';
import { envNetwork, type EnvNetwork } from './network.js';
import type { AwsSettings } from './settings.js';
import { serverTags } from './tags.js';
import { userData } from './user-data.js';

/** One server as the stack creates it: its spec, and the AMI and instance type resolved for its role. */
export interface PlannedServer {
  spec: ServerSpec;
  ami: string;
  instanceType: string;
}

/** Everything one environment's stack is made from; nothing in it is read from outside while the program runs. */
export interface StackPlan {
  owner: Owner;
  servers: PlannedServer[];
  authorizedKey: string;
  settings: AwsSettings;
  /** An EC2 endpoint other than AWS's (AWS_ENDPOINT_URL_EC2): a local EC2 API in tests. */
  endpoint?: string;
}

/** What the provider reads from a stack after `up`. */
export interface ServerOutputs {
  instanceId: string;
  privateIp: string;
  publicIp?: string;
  volumeIds: string[];
}
export type StackOutputs = { servers: Record<string, ServerOutputs> };

/** Pulumi resource names, shared by the program and the provider (a relaunch targets the instance's URN). */
export const resourceName = {
  instance: (server: string) => `${server}-instance`,
  volume: (server: string, vol: string) => `${server}-${vol}`,
};

/** Device names for persistent volumes, in the order the topology lists them. */
export const volumeDevice = (i: number) => `/dev/sd${String.fromCharCode('f'.charCodeAt(0) + i)}`;

/** A server with published ports is the bastion: the only one with a public address, as on Docker. */
const isPublic = (s: ServerSpec) => s.publish.length > 0;

/** The inline Pulumi program of one environment. */
export function stackProgram(plan: StackPlan): () => Promise<{ servers: pulumi.Output<Record<string, ServerOutputs>> }> {
  if (/PRIVATE KEY/.test(plan.authorizedKey)) throw new Error('a stack carries the run\'s public key, never a private one');
  return async () => {
    const provider = awsProvider(plan);
    const publish = [...new Set(plan.servers.flatMap((s) => s.spec.publish))];
    const net = envNetwork(plan.owner, plan.settings, publish, provider);
    // Interfaces first: their addresses are known before any instance exists, so every server's
    // user data can list every other server's address without a cycle, and a relaunched instance
    // keeps its address.
    const enis = new Map(plan.servers.map((s) => [s.spec.name, networkInterface(plan, s.spec, net, provider)]));
    const hosts = pulumi.all(plan.servers.map((s) => enis.get(s.spec.name)!.privateIp)).apply((ips) =>
      plan.servers.map((s, i) => ({ name: s.spec.name, role: s.spec.role, ip: ips[i]! })),
    );
    const made = plan.servers.map((s) => server(plan, s, enis.get(s.spec.name)!, net, hosts, provider));
    return { servers: pulumi.all(Object.fromEntries(made.map((m) => [m.name, m.outputs]))) as pulumi.Output<Record<string, ServerOutputs>> };
  };
}

function awsProvider(plan: StackPlan): aws.Provider {
  const local = plan.endpoint !== undefined;
  return new aws.Provider('aws', {
    region: plan.settings.region as aws.Region,
    profile: plan.settings.profile,
    // A local EC2 API has no account, STS or instance metadata to check against.
    ...(local && { endpoints: [{ ec2: plan.endpoint }], skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: true }),
  });
}

function networkInterface(plan: StackPlan, spec: ServerSpec, net: EnvNetwork, provider: aws.Provider): aws.ec2.NetworkInterface {
  return new aws.ec2.NetworkInterface(`${spec.name}-eni`, {
    subnetId: net.subnetId,
    securityGroups: isPublic(spec) ? [net.intraSg.id, net.bastionSg.id] : [net.intraSg.id],
    tags: serverTags(plan.owner, spec, 'eni'),
  }, { provider });
}

function server(
  plan: StackPlan,
  planned: PlannedServer,
  eni: aws.ec2.NetworkInterface,
  net: EnvNetwork,
  hosts: pulumi.Output<{ name: string; role: string; ip: string }[]>,
  provider: aws.Provider,
) {
  const { spec } = planned;
  const opts = { provider };
  const eip = isPublic(spec) ? new aws.ec2.Eip(`${spec.name}-eip`, { domain: 'vpc', networkInterface: eni.id, tags: serverTags(plan.owner, spec, 'eip') }, opts) : undefined;
  const volumes = spec.volumes.map((v) =>
    new aws.ebs.Volume(resourceName.volume(spec.name, v.name), {
      availabilityZone: net.availabilityZone,
      size: plan.settings.volumeSize,
      type: 'gp3',
      tags: serverTags(plan.owner, spec, v.name),
    }, opts),
  );
  const boot = pulumi.all([hosts, pulumi.all(volumes.map((v) => v.id))]).apply(([all, ids]) =>
    userData({
      server: spec.name,
      authorizedKey: plan.authorizedKey,
      hosts: all,
      volumes: spec.volumes.map((v, i) => ({ volumeId: ids[i]!, device: volumeDevice(i), path: v.path })),
    }),
  );
  const instance = new aws.ec2.Instance(resourceName.instance(spec.name), {
    ami: planned.ami,
    instanceType: planned.instanceType,
    primaryNetworkInterface: { networkInterfaceId: eni.id },
    userData: boot,
    metadataOptions: { httpTokens: 'required' },
    tags: serverTags(plan.owner, spec),
    volumeTags: serverTags(plan.owner, spec, 'root'),
    // The interface and the volumes can belong to one instance at a time: a relaunch frees them first.
  }, { ...opts, deleteBeforeReplace: true });
  volumes.forEach((v, i) =>
    new aws.ec2.VolumeAttachment(`${spec.name}-${spec.volumes[i]!.name}-attach`, {
      deviceName: volumeDevice(i),
      volumeId: v.id,
      instanceId: instance.id,
    }, { ...opts, deleteBeforeReplace: true }),
  );
  const outputs = pulumi.all([instance.id, eni.privateIp, eip?.publicIp, pulumi.all(volumes.map((v) => v.id))]).apply(
    ([instanceId, privateIp, publicIp, volumeIds]): ServerOutputs => ({ instanceId, privateIp, ...(publicIp !== undefined && { publicIp }), volumeIds }),
  );
  return { name: spec.name, outputs };
}
