import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeImagesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/provider/aws/ec2.js';
import type { StackPlan } from '../harness/provider/aws/program.js';
import { awsSettingsSchema } from '../harness/provider/aws/settings.js';
import { EnvStacks } from '../harness/provider/aws/stacks.js';
import { ownerLabels } from '../harness/provider/labels.js';
import { dynamicProviderOnPath } from '../test/aws/engine.js';
import { motoProgram } from '../test/aws/moto-program.js';
import { startMoto } from '../test/aws/moto.js';
import { emit, summarize } from './stats.js';

/**
 * The harness's own cost per environment on the Pulumi engine: a stack of the default topology's
 * size (5 servers) brought up and destroyed with instances on moto, where EC2's own calls take
 * milliseconds, beside the same instances made by direct EC2 calls. What AWS adds is not here.
 */
export async function benchAwsStacks(runs: number): Promise<void> {
  const moto = await startMoto();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-aws-'));
  const restore = dynamicProviderOnPath();
  try {
    const settings = awsSettingsSchema.parse({ region: moto.region, sshCidr: '198.51.100.7/32', backend: `file://${dir}/backend` });
    const ec2 = ec2Client(settings);
    const ami = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    const stacks = new EnvStacks(settings.backend!, path.join(dir, 'work'));
    const names = ['bastion-1', 'node-1', 'node-2', 'node-3', 'node-4'];
    const up: number[] = [];
    const down: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < runs; i++) {
      const env = `e-bench${i}`;
      const plan: StackPlan = {
        owner: { run: 'r-bench', env, worker: 0, topology: 'bench', keep: false, expires: new Date(Date.now() + 600_000) },
        authorizedKey: 'ssh-ed25519 AAAA', settings, endpoint: moto.endpoint,
        servers: names.map((name, n) => ({ spec: { name, role: name.replace(/-\d+$/, ''), image: 'x', publish: n ? [] : [22], volumes: [] }, ami, instanceType: 't3.micro' })),
      };
      let t = Date.now();
      await stacks.up(env, ownerLabels(plan.owner), motoProgram(plan), {});
      up.push(Date.now() - t);
      t = Date.now();
      await stacks.destroy(env, async () => undefined, {});
      down.push(Date.now() - t);
      t = Date.now();
      const made = await Promise.all(names.map(() => ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))));
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: made.map((r) => r.Instances![0]!.InstanceId!) }));
      direct.push(Date.now() - t);
    }
    emit('aws: stack up, 5 instances on moto (Automation API, file backend, labelled, createOrSelect + tag + up)', 'ms', summarize(up), { target: 'overhead <= 10000' });
    emit('aws: stack destroy and remove', 'ms', summarize(down));
    emit('aws: the same 5 instances made and terminated by direct EC2 calls on moto', 'ms', summarize(direct));
  } finally {
    restore();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
