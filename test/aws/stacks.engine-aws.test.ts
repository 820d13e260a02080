import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeImagesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, it } from 'mocha';
import { ec2Client } from '../../harness/provider/aws/ec2.js';
import { awsSettingsSchema } from '../../harness/provider/aws/settings.js';
import { EnvStacks } from '../../harness/provider/aws/stacks.js';
import type { StackPlan } from '../../harness/provider/aws/program.js';
import { ownerLabels, type Owner } from '../../harness/provider/labels.js';
import { dynamicProviderOnPath } from './engine.js';
import { motoProgram } from './moto-program.js';
import { startMoto, type Moto } from './moto.js';

describe('provider/aws stacks on the Pulumi engine and moto', function () {
  this.timeout(180_000);
  let moto: Moto;
  let dir: string;
  let restorePath: () => void;
  let stacks: EnvStacks;
  let ami: string;
  const settings = () => awsSettingsSchema.parse({ region: 'eu-west-1', sshCidr: '198.51.100.7/32', backend: `file://${dir}/backend` });

  before(async () => {
    moto = await startMoto();
    dir = mkdtempSync(path.join(os.tmpdir(), 'aws-engine-'));
    restorePath = dynamicProviderOnPath();
    stacks = new EnvStacks(`file://${dir}/backend`, path.join(dir, 'work'));
    const { Images = [] } = await ec2Client(settings()).send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    ami = Images[0]!.ImageId!;
  });
  after(async () => {
    restorePath?.();
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const plan = (env: string, worker: number): StackPlan => {
    const owner: Owner = { run: 'r-eng', env, worker, topology: 't', keep: false, expires: new Date(Date.now() + 3_600_000) };
    const spec = (name: string, publish: number[] = []) => ({ name, role: name.replace(/-\d+$/, ''), image: 'img', publish, volumes: [] });
    return { owner, authorizedKey: 'ssh-ed25519 AAAA', settings: settings(), endpoint: moto.endpoint, servers: [{ spec: spec('gate-1', [22]), ami, instanceType: 't3.micro' }, { spec: spec('app-1'), ami, instanceType: 't3.micro' }] };
  };

  it('brings one stack up and destroys and removes it', async () => {
    const p = plan('e-one', 0);
    const out = (await stacks.up('e-one', ownerLabels(p.owner), motoProgram(p), {})) as { servers: Record<string, { instanceId: string }> };
    const ids = Object.values(out.servers).map((s) => s.instanceId);
    assert.equal(ids.length, 2);
    const ec2 = ec2Client(settings());
    const running = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    assert.deepEqual(running.Reservations!.flatMap((r) => r.Instances!).map((i) => i.State!.Name), ['running', 'running']);
    await stacks.destroy('e-one', async () => undefined, {});
    assert.equal(await stacks.exists('e-one'), false);
    const gone = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    assert.deepEqual(gone.Reservations!.flatMap((r) => r.Instances!).map((i) => i.State!.Name), ['terminated', 'terminated']);
  });
});
