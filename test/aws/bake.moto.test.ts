import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSecurityGroupsCommand, RunInstancesCommand, type EC2Client, type Instance,
} from '@aws-sdk/client-ec2';
import { after, afterEach, before, beforeEach, describe, it } from 'mocha';
import { BadInputError } from '../../harness/errors.js';
import { sweep } from '../../harness/janitor/janitor.js';
import { packageRoot } from '../../harness/paths.js';
import { chooseProject } from '../../harness/project/index.js';
import { buildAmis } from '../../harness/provider/aws/ami-build.js';
import { AwsProvider } from '../../harness/provider/aws/aws-provider.js';
import { bakedWithHash, type ConvergeBuilder } from '../../harness/provider/aws/bake.js';
import { DEBIAN_OWNER } from '../../harness/provider/aws/base-ami.js';
import { BUILDER_TAG, type Builder } from '../../harness/provider/aws/builder.js';
import { ec2Client } from '../../harness/provider/aws/ec2.js';
import { AMI_TAG, amiTags, IMAGE_TAG } from '../../harness/provider/aws/images.js';
import { awsSettingsSchema } from '../../harness/provider/aws/settings.js';
import { EnvStacks } from '../../harness/provider/aws/stacks.js';
import { RUN_TAG, tagRecord } from '../../harness/provider/aws/tags.js';
import { LABEL, ownerLabels } from '../../harness/provider/labels.js';
import { startMoto, type Moto } from './moto.js';

const instances = async (ec2: EC2Client): Promise<Instance[]> =>
  ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
const groupExists = async (ec2: EC2Client, id: string) =>
  ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }))).SecurityGroups ?? []).length > 0;

describe('provider/aws AMI baking against moto (converge injected)', function () {
  this.timeout(120_000);
  let moto: Moto;
  let ec2: EC2Client;
  let ami: string;
  let dir: string;
  let builders: Builder[];
  const settings = (extra: Record<string, unknown> = {}) =>
    awsSettingsSchema.parse({ region: moto.region, sshCidr: '198.51.100.7/32', baseAmi: ami, backend: `file://${dir}/backend`, ...extra });
  const converge = (fail?: Error) => (): ConvergeBuilder => async (b) => {
    builders.push(b);
    if (fail) throw fail;
    return { tool: 'bash=5.2.15-2+b7' };
  };
  const shelf = (name: string, extra = '') => {
    const p = path.join(dir, name);
    cpSync(path.join(packageRoot, 'test', 'fixtures', 'projects', 'shelf'), p, { recursive: true });
    appendFileSync(path.join(p, 'shakedown.yml'), extra);
    return p;
  };

  before(async () => {
    moto = await startMoto();
    dir = mkdtempSync(path.join(os.tmpdir(), 'aws-bake-'));
    ec2 = ec2Client({ region: moto.region });
    ami = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
  });
  beforeEach(() => (builders = []));
  afterEach(() => chooseProject(undefined));
  after(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bakes each role once from the base AMI: builder tagged as the run and terminated, AMI tagged with image, recipe and lineage and no run tag; a second build launches nothing', async () => {
    chooseProject(shelf('once'));
    const first = await buildAmis(settings(), { ec2, converge: converge() });
    assert.deepEqual(first.map((r) => [r.image, r.built]), [['shakedown/shelf/bastion:v1-debian-12', true], ['shakedown/shelf/app:v1-debian-12', true]]);
    assert.equal(builders.length, 2);
    for (const [i, b] of builders.entries()) {
      assert.match(b.publicIp, /^\d+\.\d+\.\d+\.\d+$/);
      const [builder] = (await instances(ec2)).filter((x) => x.InstanceId === b.instanceId);
      assert.equal(builder?.State?.Name, 'terminated');
      assert.equal(builder?.ImageId, ami);
      const tags = tagRecord(builder?.Tags);
      assert.equal(tags[BUILDER_TAG], first[i]!.image);
      assert.equal(tags[LABEL.pid], String(process.pid));
      assert.equal(await groupExists(ec2, b.groupId), false, `group ${b.groupId} of the builder is left`);
      const { Images: [image] = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [first[i]!.ami] }));
      const t = tagRecord(image?.Tags);
      assert.equal(t[IMAGE_TAG], first[i]!.image);
      assert.equal(t[AMI_TAG.hash], first[i]!.lineage.hash);
      assert.equal(t[AMI_TAG.baseAmi], ami);
      assert.equal(t[AMI_TAG.tool], 'bash=5.2.15-2+b7');
      assert.equal(t[AMI_TAG.commit], 'none');
      assert.equal(t[RUN_TAG], undefined, 'a finished AMI is not the janitor\'s');
    }
    assert.notEqual(first[0]!.lineage.hash, first[1]!.lineage.hash);
    const before = (await instances(ec2)).length;
    const second = await buildAmis(settings(), { ec2, converge: converge() });
    assert.deepEqual(second.map((r) => [r.ami, r.built]), first.map((r) => [r.ami, false]));
    assert.equal(builders.length, 2, 'the second build converged nothing');
    assert.equal((await instances(ec2)).length, before, 'the second build launched an instance');
  });

  it('terminates the builder, deletes its group and leaves no AMI when the converge fails', async () => {
    chooseProject(shelf('fails'));
    const failure = new Error('converge exited 1');
    await assert.rejects(buildAmis(settings(), { ec2, versions: ['v1'], force: true, converge: converge(failure) }), (e) => e === failure);
    assert.equal(builders.length, 1);
    const [builder] = (await instances(ec2)).filter((x) => x.InstanceId === builders[0]!.instanceId);
    assert.equal(builder?.State?.Name, 'terminated');
    assert.equal(await groupExists(ec2, builders[0]!.groupId), false);
    const made = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${BUILDER_TAG}`, Values: ['*'] }] }))).Images ?? [];
    assert.deepEqual(made, []);
  });

  it("an AMI still carrying a run's tags (a killed bake) is not reused, and the janitor deregisters it", async () => {
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const owner = { run: 'r-killed', env: 'e0000beef', worker: 0, topology: 'bake', keep: false, expires: new Date(Date.now() + 3_600_000) };
    const lineage = {
      image: 'shakedown/shelf/app:v1-debian-12', immutable: 'shakedown/shelf/app:v1-debian-12-none-killedhash', project: 'killed', role: 'app', version: 'v1',
      base: 'debian-12', hash: 'killedhash', ref: 'working-tree', commit: 'none', dirty: false, baseAmi: ami, tool: 'x', shakedown: '0.1.0', built: new Date().toISOString(),
    };
    // A pid that cannot be alive: the process that baked it is gone.
    const tags = { ...amiTags(lineage), ...ownerLabels(owner), [LABEL.pid]: '999999999', [LABEL.pidStart]: '1' };
    const id = (await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'killed-bake', TagSpecifications: [{ ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] }))).ImageId!;
    assert.equal(await bakedWithHash(ec2, 'killed', 'killedhash'), undefined);
    const provider = new AwsProvider(settings(), { ec2, stacks: new EnvStacks(`file://${dir}/backend`) });
    const r = await sweep(provider);
    assert.ok(r.removed.some((l) => l.id === id), JSON.stringify(r.removed.map((l) => l.id)));
    assert.deepEqual((await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: [id] }] }))).Images ?? [], []);
  });

  it('an unknown aws.baseAmi is bad input naming the key, and nothing is created', async () => {
    chooseProject(shelf('unknown'));
    const before = (await instances(ec2)).length;
    await assert.rejects(buildAmis(settings({ baseAmi: 'ami-0123456789abcdef0' }), { ec2, converge: converge() }), (e) =>
      e instanceof BadInputError && e.message === `aws.baseAmi ami-0123456789abcdef0 is not an available AMI in ${moto.region}: fix aws.baseAmi, or drop it for the official Debian AMI`);
    assert.equal((await instances(ec2)).length, before);
    assert.equal(builders.length, 0);
  });

  it("without aws.baseAmi, looks for Debian's own AMI by owner and name, and names both when the region has none", async () => {
    chooseProject(shelf('debian'));
    await assert.rejects(buildAmis(settings({ baseAmi: undefined }), { ec2, converge: converge() }), (e) =>
      e instanceof BadInputError && e.message === `no AMI owned by ${DEBIAN_OWNER} (Debian) is named debian-12-amd64-* in ${moto.region}: name one in aws.baseAmi`);
  });

  it("'images build --provider aws' is one line and exit 2 for an unknown base AMI, and for missing credentials", () => {
    const shakedown = (p: string, env: Record<string, string | undefined>) => {
      const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'shakedown.js'), '--project', p, 'images', 'build', '--provider', 'aws'], {
        encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...env },
      });
      return { code: r.status, stderr: r.stderr };
    };
    const p = shelf('cli', `aws:\n  region: ${moto.region}\n  sshCidr: 198.51.100.7/32\n  baseAmi: ami-0123456789abcdef0\n`);
    const unknown = shakedown(p, {});
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.equal(unknown.stderr, `shakedown: aws.baseAmi ami-0123456789abcdef0 is not an available AMI in ${moto.region}: fix aws.baseAmi, or drop it for the official Debian AMI\n`);
    const home = mkdtempSync(path.join(dir, 'home-'));
    const anonymous = shakedown(p, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, HOME: home, AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none') });
    assert.equal(anonymous.code, 2, anonymous.stderr);
    assert.match(anonymous.stderr, /^shakedown: cannot look up aws\.baseAmi ami-0123456789abcdef0: .*AWS did not accept the credentials.*\n$/);
    assert.equal(anonymous.stderr.split('\n').length, 2);
  });
});
