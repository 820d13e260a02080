import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateImageCommand, CreateTagsCommand, DescribeAddressesCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSnapshotsCommand, DescribeSubnetsCommand,
  DescribeVolumesCommand, DescribeVpcsCommand, RunInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { after, before, describe, it } from 'mocha';
import { BadInputError, InfrastructureError } from '../../harness/errors.js';
import { sweep } from '../../harness/janitor/janitor.js';
import { AwsProvider } from '../../harness/provider/aws/aws-provider.js';
import { ec2Call } from '../../harness/provider/aws/classify.js';
import { EC2_ATTEMPTS, ec2Client } from '../../harness/provider/aws/ec2.js';
import { amisFor, deregisterImage, IMAGE_TAG } from '../../harness/provider/aws/images.js';
import { awsSettingsSchema } from '../../harness/provider/aws/settings.js';
import { EnvStacks } from '../../harness/provider/aws/stacks.js';
import { LABEL, ownerLabels } from '../../harness/provider/labels.js';
import { makeWorld, type World } from './ec2-world.js';
import { startMoto, type Moto } from './moto.js';

/** Whether each object of a world is still there (an instance counts while not terminated). */
async function present(ec2: EC2Client, w: World): Promise<Record<string, boolean>> {
  const there = async (call: () => Promise<unknown[] | undefined>) => {
    try {
      return ((await call()) ?? []).length > 0;
    } catch (e) {
      if (/NotFound|Malformed/.test((e as Error).name)) return false;
      throw e;
    }
  };
  const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [w.instance] }))).Reservations?.[0]?.Instances?.[0]?.State?.Name;
  return {
    instance: instance !== 'terminated',
    volume: await there(async () => (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [w.volume] }))).Volumes),
    address: await there(async () => (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [w.address] }))).Addresses),
    // By name: moto ignores KeyPairIds.
    keyPair: await there(async () => (await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [w.keyName] }))).KeyPairs),
    image: await there(async () => (await ec2.send(new DescribeImagesCommand({ ImageIds: [w.image] }))).Images),
    imageSnapshots: await there(async () => (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: w.imageSnapshots }))).Snapshots),
    snapshot: await there(async () => (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [w.snapshot] }))).Snapshots),
    groups: await there(async () => (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: w.groups }))).SecurityGroups),
    routeTable: await there(async () => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [w.routeTable] }))).RouteTables),
    igw: await there(async () => (await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [w.igw] }))).InternetGateways),
    subnet: await there(async () => (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [w.subnet] }))).Subnets),
    vpc: await there(async () => (await ec2.send(new DescribeVpcsCommand({ VpcIds: [w.vpc] }))).Vpcs),
  };
}
const all = (v: boolean, w: Record<string, boolean>) => Object.fromEntries(Object.keys(w).map((k) => [k, v]));

describe('provider/aws EC2 calls against moto', function () {
  this.timeout(120_000);
  let moto: Moto;
  let ec2: EC2Client;
  let ami: string;
  let dir: string;
  const settings = () => awsSettingsSchema.parse({ region: moto.region, sshCidr: '198.51.100.7/32', backend: `file://${dir}/backend` });
  const owner = (env: string, keep = false) => ({ run: `r-${env}`, env, worker: 0, topology: 't', keep, expires: new Date(Date.now() + 3_600_000) });

  before(async () => {
    moto = await startMoto();
    dir = mkdtempSync(path.join(os.tmpdir(), 'aws-moto-'));
    ec2 = ec2Client(settings());
    ami = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
  });
  after(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('uses the standard retry mode, and the endpoint from AWS_ENDPOINT_URL_EC2', async () => {
    assert.equal(((await ec2.config.retryStrategy()) as { mode?: string }).mode, 'standard');
    assert.equal(await ec2.config.maxAttempts(), EC2_ATTEMPTS);
    const endpoint = await ec2.config.endpoint!();
    assert.equal(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`, moto.endpoint);
  });

  it("sweeps by tag: a dead run's every object goes, in an order EC2 accepts; a live run's, a kept one's and untagged ones stay", async () => {
    const deadLabels = { ...ownerLabels(owner('e-dead')), [LABEL.pid]: '999999999', [LABEL.pidStart]: '1' };
    const keptLabels = { ...ownerLabels(owner('e-kept', true)), [LABEL.pid]: '999999998', [LABEL.pidStart]: '1' };
    const [dead, live, kept, untagged] = [
      await makeWorld(ec2, ami, deadLabels),
      await makeWorld(ec2, ami, ownerLabels(owner('e-live'))),
      await makeWorld(ec2, ami, keptLabels),
      await makeWorld(ec2, ami, {}),
    ];
    const provider = new AwsProvider(settings(), { ec2, stacks: new EnvStacks(`file://${dir}/backend`, path.join(dir, 'work')) });
    const dry = await sweep(provider, { dryRun: true });
    assert.deepEqual(await present(ec2, dead), all(true, await present(ec2, dead)), 'a dry run removes nothing');
    const kinds = (r: typeof dry.removed) => r.filter((x) => x.labels[LABEL.env] === 'e-dead').map((x) => x.kind).sort();
    assert.deepEqual(kinds(dry.removed), ['address', 'image', 'instance', 'internet-gateway', 'key-pair', 'route-table', 'security-group', 'security-group', 'snapshot', 'subnet', 'volume', 'vpc']);

    const r = await sweep(provider);
    assert.deepEqual(kinds(r.removed), kinds(dry.removed));
    assert.ok(r.removed.every((x) => x.labels[LABEL.env] === 'e-dead'), r.removed.map((x) => x.name).join(', '));
    assert.ok(r.kept.some((x) => x.labels[LABEL.env] === 'e-live' && /is live/.test(x.reason)));
    assert.ok(r.kept.some((x) => x.labels[LABEL.env] === 'e-kept' && /kept until/.test(x.reason)));
    const gone = await present(ec2, dead);
    assert.deepEqual(gone, all(false, gone));
    for (const w of [live, kept, untagged]) {
      const p = await present(ec2, w);
      assert.deepEqual(p, all(true, p));
    }
  });

  it('finds the AMI baked for each image, and names the missing ones and the fix', async () => {
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const bake = async (name: string) => {
      const id = (await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: `${name}-${Math.random()}` }))).ImageId!;
      await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: IMAGE_TAG, Value: name }] }));
      return id;
    };
    const gate = await bake('shop/gate:current');
    const app = await bake('shop/app:current');
    const found = await amisFor(ec2, ['shop/gate:current', 'shop/app:current', 'shop/gate:current'], moto.region);
    assert.deepEqual([...found].sort(), [['shop/app:current', app], ['shop/gate:current', gate]]);
    await assert.rejects(amisFor(ec2, ['shop/gate:current', 'shop/db:next'], moto.region), (e: Error) =>
      e instanceof BadInputError && e.message === `no AMI in ${moto.region} is tagged ${IMAGE_TAG}=shop/db:next: bake it with 'shakedown images build --provider aws'`);
  });

  it('deregisters an AMI together with the snapshots behind it', async () => {
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const image = (await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: `dereg-${Math.random()}` }))).ImageId!;
    const snaps = (await ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images![0]!.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);
    assert.ok(snaps.length > 0);
    await deregisterImage(ec2, image);
    assert.deepEqual((await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: [image] }] }))).Images, []);
    await assert.rejects(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snaps })), /NotFound/);
  });

  it('classifies what EC2 answers: an unknown AMI and an unknown instance type are configuration (exit 2)', async () => {
    const run = (ImageId: string, InstanceType: string) =>
      ec2Call('launch gate-1', () => ec2.send(new RunInstancesCommand({ ImageId, InstanceType: InstanceType as 't3.micro', MinCount: 1, MaxCount: 1 })));
    await assert.rejects(run('ami-00000000', 't3.micro'), (e: Error) =>
      e instanceof BadInputError && /^cannot launch gate-1: InvalidAMIID\.NotFound: .*ami-00000000.*; no such AMI in this region/.test(e.message));
    await assert.rejects(run(ami, 'x9.huge'), (e: Error) =>
      e instanceof BadInputError && /^cannot launch gate-1: InvalidInstanceType\.NotFound: .*x9\.huge.*; this instance type is not offered here/.test(e.message));
  });

  it('classifies an endpoint that does not answer as infrastructure (exit 3), naming it', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_EC2;
    process.env.AWS_ENDPOINT_URL_EC2 = 'http://127.0.0.1:9';
    try {
      const closed = ec2Client({ region: moto.region });
      await assert.rejects(ec2Call('list tagged instances', () => closed.send(new DescribeInstancesCommand({}))), (e: Error) =>
        e instanceof InfrastructureError && /EC2 endpoint \(http:\/\/127\.0\.0\.1:9\) did not answer/.test(e.message));
    } finally {
      process.env.AWS_ENDPOINT_URL_EC2 = saved;
    }
  });

  it('classifies missing credentials as configuration (exit 2), pointing at the profile', async () => {
    const keys = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    // No files to read a profile from, and no instance metadata to ask: nothing leaves this machine.
    Object.assign(process.env, { AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true' });
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const nobody = ec2Client({ region: moto.region, profile: 'nobody' });
      await assert.rejects(ec2Call('list tagged instances', () => nobody.send(new DescribeInstancesCommand({}))), (e: Error) =>
        e instanceof BadInputError && /^cannot list tagged instances: CredentialsProviderError: .*; AWS did not accept the credentials: set AWS_PROFILE or the project's aws\.profile/.test(e.message));
    } finally {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
