import { GetConsoleOutputCommand, RebootInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { BadInputError, InfrastructureError } from '../../errors.js';
import { Creations } from '../docker/creations.js';
import { info, type LogContext } from '../../log.js';
import type { HostKey } from '../../ssh/keys.js';
import { LABEL, ownerLabels } from '../labels.js';
import type { Address, LaunchedServer, LaunchRequest, Leftover, Provider, ServerSpec } from '../provider.js';
import { ec2Call } from './classify.js';
import { bootsOnConsole, hostKeyFromEc2Console } from './console.js';
import { ec2Client } from './ec2.js';
import { ec2Endpoint } from './endpoint.js';
import { amisFor } from './images.js';
import { resourceName, stackProgram, type ServerOutputs, type StackOutputs, type StackPlan } from './program.js';
import { instanceTypeOf, type AwsSettings } from './settings.js';
import { defaultBackend, EnvStacks } from './stacks.js';
import { removeFromEc2, taggedOnEc2 } from './sweep.js';

/** EC2 prints a new instance's console a few minutes after boot, in batches. */
const HOST_KEY_WAIT_MS = 10 * 60_000;
const CONSOLE_POLL_MS = 5_000;
const INSTANCE_TYPE = 'aws:ec2/instance:Instance';

type StackProgram = (plan: StackPlan) => () => Promise<Record<string, unknown>>;

export interface AwsProviderOptions {
  ec2?: EC2Client;
  stacks?: EnvStacks;
  /** The stack program: `stackProgram` (resources from @pulumi/aws) unless a test brings its own. */
  program?: StackProgram;
  /** How long a console may show no host key before the launch fails naming the instance. */
  hostKeyWaitMs?: number;
  pollMs?: number;
}

/** Servers are EC2 instances, one Pulumi stack per environment; everything tagged like the Docker labels. */
export class AwsProvider implements Provider {
  readonly name = 'aws';
  readonly ec2: EC2Client;
  readonly stacks: EnvStacks;
  private readonly amis = new Map<string, string>();
  private readonly outputs = new Map<string, StackOutputs>();
  private readonly hostKeyWaitMs: number;
  private readonly pollMs: number;
  private readonly program: StackProgram;
  /** A destroy waits for the environment's update in flight (an interrupt mid-launch), then nothing new starts. */
  private readonly creations = new Creations();

  constructor(readonly settings: AwsSettings, o: AwsProviderOptions = {}) {
    this.ec2 = o.ec2 ?? ec2Client(settings);
    this.stacks = o.stacks ?? new EnvStacks(settings.backend ?? defaultBackend());
    this.hostKeyWaitMs = o.hostKeyWaitMs ?? HOST_KEY_WAIT_MS;
    this.pollMs = o.pollMs ?? CONSOLE_POLL_MS;
    this.program = o.program ?? stackProgram;
  }

  /** Every image has a baked AMI in the region: a missing one is reported before any stack exists. */
  async preflight(images: string[]): Promise<void> {
    const missing = images.filter((i) => !this.amis.has(i));
    for (const [image, ami] of await amisFor(this.ec2, missing, this.settings.region)) this.amis.set(image, ami);
  }

  /** The stack's plan: every server with its role's AMI and instance type. */
  plan(request: LaunchRequest): StackPlan {
    const servers = request.servers.map((spec) => {
      const ami = this.amis.get(spec.image);
      if (!ami) throw new BadInputError(`${spec.name}: no AMI known for ${spec.image}; preflight did not run for it`);
      return { spec, ami, instanceType: instanceTypeOf(this.settings, spec.role) };
    });
    return { owner: request.owner, servers, authorizedKey: request.authorizedKey, settings: this.settings, endpoint: ec2Endpoint() };
  }

  async launch(request: LaunchRequest): Promise<LaunchedServer[]> {
    await this.preflight(request.servers.map((s) => s.image));
    const plan = this.plan(request);
    this.requests.set(request.owner.env, request);
    await this.up(plan, request.ctx);
    return Promise.all(request.servers.map(async (spec) => ({ spec, address: await this.address(request.owner.env, spec), hostKey: await this.hostKey(request.owner.env, spec.name) })));
  }

  private async up(plan: StackPlan, ctx: LogContext, replace: string[] = []): Promise<void> {
    const env = plan.owner.env;
    const started = Date.now();
    this.creations.guard(env);
    const out = (await this.creations.track(env, this.stacks.up(env, ownerLabels(plan.owner), this.program(plan), ctx, replace))) as StackOutputs;
    this.outputs.set(env, out);
    info(ctx, `stack ${env} up in ${Date.now() - started} ms (${Object.keys(out.servers).length} instances)`);
  }

  private async server(env: string, name: string): Promise<ServerOutputs> {
    let out = this.outputs.get(env);
    if (!out) {
      out = (await this.stacks.outputs(env)) as StackOutputs;
      if (out.servers) this.outputs.set(env, out);
    }
    const s = out.servers?.[name];
    if (!s) throw new InfrastructureError(`environment ${env} has no server '${name}' in its stack outputs: see 'shakedown env ls'`);
    return s;
  }

  /** The bastion by its public address, the others by their private one (reached through the bastion). */
  async address(env: string, spec: ServerSpec): Promise<Address> {
    const s = await this.server(env, spec.name);
    if (!spec.publish.length) return { host: s.privateIp, port: 22 };
    if (!s.publicIp) throw new InfrastructureError(`${spec.name}: instance ${s.instanceId} has no public address`);
    return { host: s.publicIp, port: spec.publish[0]! };
  }

  private async console(env: string, server: string): Promise<{ instance: string; text: string }> {
    const { instanceId } = await this.server(env, server);
    const r = await ec2Call(`read the console of ${server} (${instanceId})`, () => this.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true })));
    return { instance: instanceId, text: Buffer.from(r.Output ?? '', 'base64').toString('utf8') };
  }

  async consoleBoots(env: string, server: string): Promise<number> {
    return bootsOnConsole((await this.console(env, server)).text);
  }

  /** Polls the console until it shows the host-key block; never asks the server itself. */
  async hostKey(env: string, server: string): Promise<HostKey> {
    const deadline = Date.now() + this.hostKeyWaitMs;
    for (;;) {
      const { instance, text } = await this.console(env, server);
      const key = hostKeyFromEc2Console(text);
      if (key) return key;
      if (Date.now() >= deadline) {
        throw new InfrastructureError(`${server}: instance ${instance} showed no SSH host key on its console within ${Math.round(this.hostKeyWaitMs / 1000)} s; read it with 'aws ec2 get-console-output --latest --instance-id ${instance}'`);
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  async reboot(env: string, server: string): Promise<void> {
    const { instanceId } = await this.server(env, server);
    await ec2Call(`reboot ${server} (${instanceId})`, () => this.ec2.send(new RebootInstancesCommand({ InstanceIds: [instanceId] })));
  }

  /** Replaces the instance from its AMI (`up` with `replace`); its interface and volumes carry over. */
  async relaunch(env: string, request: LaunchRequest, spec: ServerSpec): Promise<LaunchedServer> {
    const all = this.planOf(env, request);
    // With only the one server, the program would remove every other server of the environment.
    if (!all) throw new InfrastructureError(`cannot relaunch ${spec.name}: environment ${env} was not launched by this process, which alone knows its whole plan`);
    await this.preflight(all.servers.map((s) => s.image));
    await this.up(this.plan(all), request.ctx, [this.stacks.urn(env, INSTANCE_TYPE, resourceName.instance(spec.name))]);
    return { spec, address: await this.address(env, spec), hostKey: await this.hostKey(env, spec.name) };
  }

  private readonly requests = new Map<string, LaunchRequest>();
  /** A relaunch re-runs the whole program, so it needs every server of the environment, not just the one. */
  private planOf(env: string, request: LaunchRequest): LaunchRequest | undefined {
    const known = this.requests.get(env);
    if (!known) return undefined;
    const servers = known.servers.map((s) => request.servers.find((r) => r.name === s.name) ?? s);
    return { ...known, servers, ctx: request.ctx };
  }

  /** Destroys the stack, then sweeps EC2 for anything of the environment the state did not hold. */
  async destroy(env: string): Promise<void> {
    await this.creations.doom(env);
    await this.stacks.destroy(env, async () => undefined, { env });
    this.outputs.delete(env);
    this.requests.delete(env);
    const left = (await taggedOnEc2(this.ec2)).filter((l) => l.labels[LABEL.env] === env);
    await removeFromEc2(this.ec2, left);
  }

  async leftovers(): Promise<Leftover[]> {
    // Both finish before either failure is thrown: a listing cleans up its work folder as it ends.
    const [listed, tagged] = await Promise.allSettled([this.stacks.list(), taggedOnEc2(this.ec2)]);
    if (listed.status === 'rejected') throw listed.reason;
    if (tagged.status === 'rejected') throw tagged.reason;
    const [stacks, ec2] = [listed.value, tagged.value];
    return [...stacks.map((s) => ({ kind: 'stack' as const, id: s.name, name: s.name, labels: s.labels })), ...ec2];
  }

  /** Stacks first (stale lock cancelled, pending operations cleared, destroyed, removed), then EC2 by tag. */
  async remove(leftovers: Leftover[]): Promise<void> {
    for (const s of leftovers.filter((l) => l.kind === 'stack')) {
      await this.stacks.clearAbandoned(s.id, async () => undefined);
      await this.stacks.destroy(s.id, async () => undefined, { env: s.id });
    }
    await removeFromEc2(this.ec2, leftovers.filter((l) => l.kind !== 'stack'));
  }
}
