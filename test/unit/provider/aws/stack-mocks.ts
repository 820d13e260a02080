import pulumi from '@pulumi/pulumi';
import { stackProgram, type ServerOutputs, type StackPlan } from '../../../../harness/provider/aws/program.js';

export interface Made {
  type: string;
  name: string;
  inputs: Record<string, any>;
  id: string;
}

/** Computed properties as EC2 would fill them: addresses, ids, the subnet's zone. */
function computed(type: string, n: number): Record<string, unknown> {
  switch (type) {
    case 'aws:ec2/networkInterface:NetworkInterface': return { privateIp: `10.77.1.${10 + n}` };
    case 'aws:ec2/eip:Eip': return { publicIp: `203.0.113.${n}` };
    case 'aws:ec2/subnet:Subnet': return { availabilityZone: 'eu-west-1a' };
    default: return {};
  }
}

/** Runs the stack program under Pulumi's mocks: no CLI, no plugin. Returns every resource and the outputs. */
export async function runProgram(plan: StackPlan, calls: { token: string; inputs: any }[] = []): Promise<{ made: Made[]; outputs: Record<string, ServerOutputs> }> {
  const made: Made[] = [];
  let n = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = `${args.type.split(':').pop()!.toLowerCase()}-${++n}`;
        const state = { ...args.inputs, ...computed(args.type, n) };
        made.push({ type: args.type, name: args.name, inputs: args.inputs, id });
        return { id, state };
      },
      call(args) {
        calls.push({ token: args.token, inputs: args.inputs });
        return args.token === 'aws:ec2/getSubnet:getSubnet' ? { ...args.inputs, availabilityZone: 'eu-west-1c' } : args.inputs;
      },
    },
    'shakedown',
    plan.owner.env,
    false,
  );
  const out = await stackProgram(plan)();
  const outputs = await new Promise<Record<string, ServerOutputs>>((resolve) => out.servers.apply(resolve));
  // Attachments register once their instance has an id, after the outputs may have resolved.
  const attachments = plan.servers.reduce((k, s) => k + s.spec.volumes.length, 0);
  for (const deadline = Date.now() + 5000; made.filter((m) => m.type.endsWith('VolumeAttachment')).length < attachments; ) {
    if (Date.now() > deadline) throw new Error('volume attachments were never registered');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { made, outputs };
}
