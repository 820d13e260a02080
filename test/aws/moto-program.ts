import { createRequire } from 'node:module';
import path from 'node:path';
import pulumi from '@pulumi/pulumi';
import { packageRoot } from '../../harness/paths.js';
import type { ServerOutputs, StackPlan } from '../../harness/provider/aws/program.js';
import { serverTags } from '../../harness/provider/aws/tags.js';

const { MotoInstance } = createRequire(import.meta.url)(path.join(packageRoot, 'test', 'fixtures', 'aws', 'moto-instance.cjs')) as {
  MotoInstance: new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & { instanceId: pulumi.Output<string>; privateIp: pulumi.Output<string> };
};

/**
 * The test-only stand-in for the stack program: each server one instance on moto, made by a
 * Pulumi dynamic resource (the AWS plugin cannot be had here), tagged and output as the real one.
 */
export function motoProgram(plan: StackPlan, o: { hold?: { server: string; ms: number } } = {}): () => Promise<{ servers: pulumi.Output<Record<string, ServerOutputs>> }> {
  return async () => {
    const made = plan.servers.map((s) => {
      const i = new MotoInstance(`${s.spec.name}-instance`, {
        region: plan.settings.region,
        endpoint: plan.endpoint,
        ami: s.ami,
        instanceType: s.instanceType,
        tags: serverTags(plan.owner, s.spec),
        holdMs: o.hold?.server === s.spec.name ? o.hold.ms : 0,
      });
      const outputs = pulumi.all([i.instanceId, i.privateIp]).apply(([instanceId, privateIp]): ServerOutputs => ({
        instanceId, privateIp, ...(s.spec.publish.length && { publicIp: privateIp }), volumeIds: [],
      }));
      return [s.spec.name, outputs] as const;
    });
    return { servers: pulumi.all(Object.fromEntries(made)) as pulumi.Output<Record<string, ServerOutputs>> };
  };
}
