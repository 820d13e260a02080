import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateImageCommand, CreateTagsCommand, DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { after, before, describe, it } from 'mocha';
import { BadInputError, InfrastructureError } from '../../harness/errors.js';
import { packageRoot } from '../../harness/paths.js';
import { AwsProvider } from '../../harness/provider/aws/aws-provider.js';
import { ec2Client } from '../../harness/provider/aws/ec2.js';
import { IMAGE_TAG } from '../../harness/provider/aws/images.js';
import type { StackPlan } from '../../harness/provider/aws/program.js';
import { awsSettingsSchema } from '../../harness/provider/aws/settings.js';
import { EnvStacks, selectionFile } from '../../harness/provider/aws/stacks.js';
import { LABEL, ownerLabels, type Owner } from '../../harness/provider/labels.js';
import { dynamicProviderOnPath } from './engine.js';
import { motoProgram } from './moto-program.js';
import { startMoto, type Moto } from './moto.js';

/** Instances on moto of one environment, by state. */
async function instancesOf(ec2: EC2Client, env: string): Promise<{ id: string; state: string }[]> {
  const r = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${LABEL.env}`, Values: [env] }] }));
  return (r.Reservations ?? []).flatMap((x) => x.Instances ?? []).map((i) => ({ id: i.InstanceId!, state: i.State!.Name! }));
}
const running = async (ec2: EC2Client, env: string) => (await instancesOf(ec2, env)).filter((i) => i.state === 'running');

function lockFiles(dir: string): string[] {
  const locks = path.join(dir, 'backend', '.pulumi', 'locks');
  if (!existsSync(locks)) return [];
  return readdirSync(locks, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

async function until(what: string, ok: () => Promise<boolean>, withinMs = 90_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `shakedown janitor --provider aws --json` as a user (or cron) runs it, from a project whose backend is the test's. */
function janitorCli(): { removed: { kind: string; name: string; reason: string }[]; kept: { kind: string; name: string; reason: string }[] } {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'shakedown.js'), '--project', projectDir, 'janitor', '--provider', 'aws', '--json'], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`janitor exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
let projectDir = '';

describe('provider/aws stacks on the Pulumi engine, instances on moto', function () {
  this.timeout(240_000);
  let moto: Moto;
  let dir: string;
  let restorePath: () => void;
  let stacks: EnvStacks;
  let provider: AwsProvider;
  let ec2: EC2Client;
  let ami: string;
  const settings = () => awsSettingsSchema.parse({ region: 'eu-west-1', sshCidr: '198.51.100.7/32', backend: `file://${dir}/backend` });
  const spec = (name: string, publish: number[] = []) => ({ name, role: name.replace(/-\d+$/, ''), image: 'img', publish, volumes: [] });

  before(async () => {
    moto = await startMoto();
    dir = mkdtempSync(path.join(os.tmpdir(), 'aws-engine-'));
    restorePath = dynamicProviderOnPath();
    // Work folders beside the backend, as the CLI's janitor (same project backend) keeps them.
    stacks = new EnvStacks(`file://${dir}/backend`);
    projectDir = path.join(dir, 'project');
    mkdirSync(path.join(projectDir, 'cfg'), { recursive: true });
    writeFileSync(path.join(projectDir, 'shakedown.yml'), `name: janitored\nroles: [gate]\nconverge: { source: cfg, command: 'true' }\naws: { region: eu-west-1, sshCidr: 198.51.100.7/32, backend: 'file://${dir}/backend' }\n`);
    ec2 = ec2Client(settings());
    provider = new AwsProvider(settings(), { ec2, stacks, hostKeyWaitMs: 300, pollMs: 100 });
    const { Images = [] } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    ami = Images[0]!.ImageId!;
  });
  after(async () => {
    restorePath?.();
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const plan = (env: string, worker: number): StackPlan => {
    const owner: Owner = { run: 'r-eng', env, worker, topology: 't', keep: false, expires: new Date(Date.now() + 3_600_000) };
    return {
      owner, authorizedKey: 'ssh-ed25519 AAAA', settings: settings(), endpoint: moto.endpoint,
      servers: [{ spec: spec('gate-1', [22]), ami, instanceType: 't3.micro' }, { spec: spec('app-1'), ami, instanceType: 't3.micro' }],
    };
  };
  // One plan per environment, as the provider keeps one request: the same inputs on every up.
  const plans = new Map<string, StackPlan>();
  const up = (env: string, worker: number) => {
    const p = plans.get(env) ?? plans.set(env, plan(env, worker)).get(env)!;
    return stacks.up(env, ownerLabels(p.owner), motoProgram(p), {}) as Promise<{ servers: Record<string, { instanceId: string; privateIp: string }> }>;
  };

  it('brings up one stack per worker side by side, each labelled with its worker', async () => {
    const [a, b] = await Promise.all([up('e-w0', 0), up('e-w1', 1)]);
    const ids = [a, b].flatMap((o) => Object.values(o.servers).map((s) => s.instanceId));
    assert.equal(new Set(ids).size, 4);
    assert.equal((await running(ec2, 'e-w0')).length, 2);
    assert.equal((await running(ec2, 'e-w1')).length, 2);
    const listed = Object.fromEntries((await stacks.list()).map((s) => [s.name, s.labels]));
    assert.deepEqual(Object.keys(listed).sort(), ['e-w0', 'e-w1']);
    assert.equal(listed['e-w0']![LABEL.worker], '0');
    assert.equal(listed['e-w1']![LABEL.worker], '1');
    assert.equal(listed['e-w1']![LABEL.pid], String(process.pid));
    assert.deepEqual(lockFiles(dir), []);
    assert.ok(existsSync(selectionFile(path.join(dir, 'backend-work', 'e-w0'))), 'the CLI noted the selected stack where selectionFile says');
  });

  it('reads addresses and consoles from the stack outputs, reboots with RebootInstances, and names the instance whose console shows no key', async () => {
    const out = (await stacks.outputs('e-w0')) as { servers: Record<string, { instanceId: string; privateIp: string }> };
    const fresh = new AwsProvider(settings(), { ec2, stacks, hostKeyWaitMs: 300, pollMs: 100 });
    assert.deepEqual(await fresh.address('e-w0', spec('gate-1', [22])), { host: out.servers['gate-1']!.privateIp, port: 22 });
    assert.deepEqual(await fresh.address('e-w0', spec('app-1')), { host: out.servers['app-1']!.privateIp, port: 22 });
    await fresh.reboot('e-w0', 'app-1');
    assert.equal((await running(ec2, 'e-w0')).length, 2);
    // moto's console is a fixed boot log with no host-key block.
    assert.equal(await fresh.consoleBoots('e-w0', 'app-1'), 0);
    const id = out.servers['app-1']!.instanceId;
    await assert.rejects(fresh.hostKey('e-w0', 'app-1'), (e: Error) => e instanceof InfrastructureError && e.message.includes(`instance ${id} showed no SSH host key on its console within 0 s`));
    await assert.rejects(fresh.reboot('e-w0', 'nope-1'), /no server 'nope-1' in its stack outputs/);
  });

  it('replaces one server by its URN (a relaunch), leaving the others as they were', async () => {
    const before = (await stacks.outputs('e-w1')) as { servers: Record<string, { instanceId: string }> };
    const p = plans.get('e-w1')!;
    const urn = stacks.urn('e-w1', 'pulumi-nodejs:dynamic:Resource', 'app-1-instance');
    const after = (await stacks.up('e-w1', ownerLabels(p.owner), motoProgram(p), {}, [urn])) as typeof before;
    assert.notEqual(after.servers['app-1']!.instanceId, before.servers['app-1']!.instanceId);
    assert.equal(after.servers['gate-1']!.instanceId, before.servers['gate-1']!.instanceId);
    const states = Object.fromEntries((await instancesOf(ec2, 'e-w1')).map((i) => [i.id, i.state]));
    assert.equal(states[before.servers['app-1']!.instanceId], 'terminated');
    assert.equal(states[after.servers['app-1']!.instanceId], 'running');
  });

  /**
   * The dynamic-provider plugins of this checkout whose pulumi CLI is gone (their parent is init):
   * the CLI starts them in a process group of their own, so a kill -9 of the run's group leaves them.
   */
  const orphanedPlugins = () =>
    readdirSync('/proc').filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1];
        return ppid === '1' && cmd.includes(path.join(packageRoot, 'node_modules', '@pulumi', 'pulumi', 'cmd', 'dynamic-provider'));
      } catch {
        return false;
      }
    });

  it("after kill -9 in the middle of an up, 'shakedown janitor --provider aws' leaves no stack, no lock and no instance of it, and nothing of the live stacks", async () => {
    const killed = plan('e-killed', 2);
    const child = spawn(process.execPath, [path.join(packageRoot, 'dist', 'test', 'aws', 'up-child.js'), `file://${dir}/backend`, JSON.stringify(killed), 'app-1'], {
      detached: true, stdio: 'ignore', env: process.env,
    });
    const exited = new Promise((r) => child.once('exit', r));
    // gate-1 recorded, app-1 made on moto but held open: its create is pending in the state.
    await until('both instances of the killed run on moto', async () => (await running(ec2, 'e-killed')).length === 2);
    assert.ok(lockFiles(dir).some((f) => f.includes('e-killed')), 'the update holds its lock');
    const before = new Set(orphanedPlugins());
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    // Not the janitor's business (it manages clouds, not this machine's processes): the test cleans its own.
    await until('the killed CLI plugin orphaned', async () => orphanedPlugins().some((p) => !before.has(p)), 5000).catch(() => undefined);
    orphanedPlugins().filter((p) => !before.has(p)).forEach((p) => process.kill(Number(p), 'SIGKILL'));
    assert.equal(await stacks.exists('e-killed'), true);

    const r = janitorCli();
    const removed = r.removed.map((x) => `${x.kind} ${x.name}`).sort();
    assert.deepEqual(removed, ['instance sd-e-killed-app-1', 'instance sd-e-killed-gate-1', 'stack e-killed'], JSON.stringify(r));
    assert.ok(r.kept.some((x) => x.kind === 'stack' && x.name === 'e-w0' && /is live/.test(x.reason)), JSON.stringify(r.kept));
    assert.deepEqual((await stacks.list()).map((s) => s.name).sort(), ['e-w0', 'e-w1']);
    assert.deepEqual(lockFiles(dir).filter((f) => f.includes('e-killed')), []);
    assert.deepEqual(await running(ec2, 'e-killed'), []);
    assert.equal(existsSync(path.join(dir, 'backend-work', 'e-killed')), false, "the killed stack's work folder went too");
    assert.equal(existsSync(selectionFile(path.join(dir, 'backend-work', 'e-killed'))), false);
    assert.equal((await running(ec2, 'e-w0')).length, 2);
    assert.equal((await running(ec2, 'e-w1')).length, 2);
  });

  it('launches through the provider: AMI by image tag and instance type per role; a console with no host key fails naming the instance; destroy leaves nothing', async () => {
    const baked = async (image: string) => {
      const from = (await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
      const id = (await ec2.send(new CreateImageCommand({ InstanceId: from, Name: `${image}-${Math.random()}` }))).ImageId!;
      await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: IMAGE_TAG, Value: image }] }));
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: [from] }));
      return id;
    };
    const [gateAmi, appAmi] = [await baked('shop/gate:current'), await baked('shop/app:current')];
    const own = awsSettingsSchema.parse({ ...settings(), instanceTypes: { app: 't3.small' } });
    const p = new AwsProvider(own, { ec2, stacks, program: (pl) => motoProgram(pl), hostKeyWaitMs: 300, pollMs: 100 });
    const owner: Owner = { run: 'r-eng', env: 'e-launch', worker: 3, topology: 't', keep: false, expires: new Date(Date.now() + 3_600_000) };
    const servers = [{ ...spec('gate-1', [22]), image: 'shop/gate:current' }, { ...spec('app-1'), image: 'shop/app:current' }];
    const request = { owner, servers, authorizedKey: 'ssh-ed25519 AAAA', ctx: { env: 'e-launch' } };

    await assert.rejects(p.launch({ ...request, owner: { ...owner, env: 'e-noami' }, servers: [{ ...spec('gate-1', [22]), image: 'shop/gate:next' }] }), (e: Error) =>
      e instanceof BadInputError && /tagged shakedown\.image=shop\/gate:next/.test(e.message));
    assert.equal(await stacks.exists('e-noami'), false, 'a missing AMI creates no stack');

    await assert.rejects(p.launch(request), (e: Error) => e instanceof InfrastructureError && /^(gate|app)-1: instance i-\w+ showed no SSH host key on its console/.test(e.message));
    const made = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${LABEL.env}`, Values: ['e-launch'] }] }))).Reservations!.flatMap((r) => r.Instances!);
    const byServer = Object.fromEntries(made.map((i) => [i.Tags!.find((t) => t.Key === LABEL.server)!.Value!, [i.ImageId, i.InstanceType]]));
    assert.deepEqual(byServer, { 'gate-1': [gateAmi, 't3.micro'], 'app-1': [appAmi, 't3.small'] });
    await p.destroy('e-launch');
    assert.equal(await stacks.exists('e-launch'), false);
    assert.deepEqual(await running(ec2, 'e-launch'), []);
  });

  it('a destroy during a launch (an interrupt) waits for the update in flight, then leaves nothing', async () => {
    const baked = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${IMAGE_TAG}`, Values: ['shop/gate:current'] }] }))).Images!;
    assert.ok(baked.length, 'the launch test baked the AMI this one uses');
    const p = new AwsProvider(settings(), { ec2, stacks, program: (pl) => motoProgram(pl, { hold: { server: 'gate-1', ms: 3000 } }), hostKeyWaitMs: 300, pollMs: 100 });
    const owner: Owner = { run: 'r-eng', env: 'e-interrupted', worker: 4, topology: 't', keep: false, expires: new Date(Date.now() + 3_600_000) };
    const launching = p.launch({ owner, servers: [{ ...spec('gate-1', [22]), image: 'shop/gate:current' }], authorizedKey: 'ssh-ed25519 AAAA', ctx: {} }).then(
      () => assert.fail('the launch went on after its environment was destroyed'),
      (e: Error) => e,
    );
    await until('the instance of the launch on moto', async () => (await running(ec2, 'e-interrupted')).length === 1);
    await p.destroy('e-interrupted');
    assert.ok((await launching) instanceof Error);
    assert.equal(await stacks.exists('e-interrupted'), false);
    assert.deepEqual(await running(ec2, 'e-interrupted'), []);
    await assert.rejects(p.launch({ owner, servers: [{ ...spec('gate-1', [22]), image: 'shop/gate:current' }], authorizedKey: 'ssh-ed25519 AAAA', ctx: {} }), /being destroyed/);
  });

  it('destroys each environment: its stack removed, its instances terminated', async () => {
    await Promise.all([provider.destroy('e-w0'), provider.destroy('e-w1')]);
    assert.deepEqual(await stacks.list(), []);
    for (const env of ['e-w0', 'e-w1']) {
      const left = await instancesOf(ec2, env);
      assert.ok(left.length >= 2);
      assert.deepEqual(left.filter((i) => i.state !== 'terminated'), []);
    }
    assert.deepEqual(readdirSync(path.join(dir, 'backend-work')).filter((d) => d.startsWith('e-')), []);
    assert.equal(existsSync(selectionFile(path.join(dir, 'backend-work', 'e-w0'))), false, "the CLI's note of the stack goes with it");
  });
});
