import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { LABEL } from '../../../../harness/provider/labels.js';
import type { StackPlan } from '../../../../harness/provider/aws/program.js';
import { awsSettingsSchema } from '../../../../harness/provider/aws/settings.js';
import { userData } from '../../../../harness/provider/aws/user-data.js';
import { runProgram, type Made } from './stack-mocks.js';

const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtestkeytestkeytestkeytestkeytestkeytestkey shakedown-r-1';
const owner = { run: 'r-1', env: 'e-abc123', worker: 2, topology: 'shop', keep: false, expires: new Date('2030-01-01T12:00:00Z') };
const settings = awsSettingsSchema.parse({ region: 'eu-west-1', sshCidr: '198.51.100.7/32', instanceTypes: { store: 'm6i.large' } });
const spec = (name: string, role: string, extra: Partial<{ publish: number[]; volumes: { name: string; path: string }[] }> = {}) => ({
  name, role, image: `shop/${role}:current`, publish: [], volumes: [], ...extra,
});
const plan = (over: Partial<StackPlan> = {}): StackPlan => ({
  owner,
  authorizedKey: key,
  settings,
  servers: [
    { spec: spec('gate-1', 'gate', { publish: [22] }), ami: 'ami-0aaa', instanceType: 't3.micro' },
    { spec: spec('front-1', 'front'), ami: 'ami-0bbb', instanceType: 't3.micro' },
    { spec: spec('front-2', 'front'), ami: 'ami-0bbb', instanceType: 't3.micro' },
    { spec: spec('store-1', 'store', { volumes: [{ name: 'data', path: '/srv/data' }, { name: 'logs', path: '/srv/logs' }] }), ami: 'ami-0ccc', instanceType: 'm6i.large' },
  ],
  ...over,
});

const of = (made: Made[], kind: string) => made.filter((m) => m.type.endsWith(`:${kind}`) || (kind === 'Provider' && m.type === 'pulumi:providers:aws'));
const one = (made: Made[], kind: string, name: string) => {
  const m = of(made, kind).find((x) => x.name === name);
  assert.ok(m, `no ${kind} named ${name} among ${made.map((x) => x.name).join(', ')}`);
  return m;
};
const sgNamed = (made: Made[], name: string) => one(made, 'SecurityGroup', name);

describe('provider/aws/program (Pulumi mocks)', () => {
  it('tags every taggable resource with the run, environment, worker, host, process, expiry and keep', async () => {
    const { made } = await runProgram(plan());
    const untaggable = new Set(['RouteTableAssociation', 'VolumeAttachment']);
    const taggable = made.filter((m) => !m.type.startsWith('pulumi:providers:') && !untaggable.has(m.type.split(':').pop()!));
    assert.equal(taggable.length, 17, taggable.map((m) => m.name).join(', '));
    for (const m of taggable) {
      const tags = m.inputs.tags as Record<string, string>;
      assert.ok(tags, `${m.type} ${m.name} has no tags`);
      for (const k of Object.values(LABEL).filter((k) => k !== LABEL.server && k !== LABEL.role)) assert.ok(k in tags, `${m.name}: no ${k}`);
      assert.equal(tags[LABEL.run], 'r-1');
      assert.equal(tags[LABEL.env], 'e-abc123');
      assert.equal(tags[LABEL.worker], '2');
      assert.equal(tags[LABEL.expires], '2030-01-01T12:00:00.000Z');
      assert.equal(tags[LABEL.keep], 'false');
      assert.equal(tags[LABEL.pid], String(process.pid));
      assert.match(tags.Name!, /^sd-e-abc123-/);
    }
    const instance = one(made, 'Instance', 'store-1-instance');
    assert.equal(instance.inputs.tags[LABEL.server], 'store-1');
    assert.equal(instance.inputs.tags[LABEL.role], 'store');
    assert.equal(instance.inputs.volumeTags[LABEL.env], 'e-abc123');
  });

  it('gives only the bastion a public address and its security group', async () => {
    const { made, outputs } = await runProgram(plan());
    const eips = of(made, 'Eip');
    assert.deepEqual(eips.map((e) => e.name), ['gate-1-eip']);
    assert.equal(eips[0]!.inputs.networkInterface, one(made, 'NetworkInterface', 'gate-1-eni').id);
    const bastionSg = sgNamed(made, 'bastion').id;
    const intraSg = sgNamed(made, 'intra').id;
    for (const eni of of(made, 'NetworkInterface')) {
      const expected = eni.name === 'gate-1-eni' ? [intraSg, bastionSg] : [intraSg];
      assert.deepEqual(eni.inputs.securityGroups, expected, eni.name);
    }
    for (const i of of(made, 'Instance')) assert.notEqual(i.inputs.associatePublicIpAddress, true, i.name);
    assert.equal(outputs['gate-1']!.publicIp, '203.0.113.' + eips[0]!.id.split('-').pop());
    for (const name of ['front-1', 'front-2', 'store-1']) assert.equal(outputs[name]!.publicIp, undefined, name);
  });

  it('lets the bastion be reached from the configured CIDR only, and the others only from inside the environment', async () => {
    const { made } = await runProgram(plan());
    assert.deepEqual(sgNamed(made, 'bastion').inputs.ingress, [
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['198.51.100.7/32'], description: 'the harness' },
    ]);
    const intra = sgNamed(made, 'intra').inputs;
    assert.deepEqual(intra.ingress.map((r: any) => ({ self: r.self, cidr: r.cidrBlocks, sgs: r.securityGroups })), [{ self: true, cidr: undefined, sgs: undefined }]);
    for (const sg of of(made, 'SecurityGroup')) {
      for (const rule of sg.inputs.ingress ?? []) assert.ok(!(rule.cidrBlocks ?? []).includes('0.0.0.0/0'), `${sg.name} is open to the world`);
    }
  });

  it("gives each environment its own VPC, so no environment's rules name another's", async () => {
    const { made } = await runProgram(plan());
    const vpc = one(made, 'Vpc', 'vpc');
    for (const sg of of(made, 'SecurityGroup')) assert.equal(sg.inputs.vpcId, vpc.id);
    assert.equal(one(made, 'Subnet', 'subnet').inputs.vpcId, vpc.id);
    const routes = one(made, 'RouteTable', 'routes');
    assert.equal(routes.inputs.routes[0].gatewayId, one(made, 'InternetGateway', 'igw').id);
  });

  it('uses a configured VPC and subnet instead of making its own, its volumes in that subnet\'s zone', async () => {
    const calls: { token: string; inputs: any }[] = [];
    const own = awsSettingsSchema.parse({ ...settings, vpcId: 'vpc-0123abcd', subnetId: 'subnet-0456ef' });
    const { made } = await runProgram(plan({ settings: own }), calls);
    assert.deepEqual(of(made, 'Vpc').concat(of(made, 'Subnet'), of(made, 'InternetGateway')), []);
    for (const sg of of(made, 'SecurityGroup')) assert.equal(sg.inputs.vpcId, 'vpc-0123abcd');
    for (const eni of of(made, 'NetworkInterface')) assert.equal(eni.inputs.subnetId, 'subnet-0456ef');
    assert.deepEqual(calls.map((c) => [c.token, c.inputs.id]), [['aws:ec2/getSubnet:getSubnet', 'subnet-0456ef']]);
    for (const v of of(made, 'Volume')) assert.equal(v.inputs.availabilityZone, 'eu-west-1c');
  });

  it('launches each role from its AMI on its instance type, on its own interface', async () => {
    const { made } = await runProgram(plan());
    const got = of(made, 'Instance').map((i) => [i.name, i.inputs.ami, i.inputs.instanceType, i.inputs.primaryNetworkInterface.networkInterfaceId]);
    const eni = (s: string) => one(made, 'NetworkInterface', `${s}-eni`).id;
    assert.deepEqual(got, [
      ['gate-1-instance', 'ami-0aaa', 't3.micro', eni('gate-1')],
      ['front-1-instance', 'ami-0bbb', 't3.micro', eni('front-1')],
      ['front-2-instance', 'ami-0bbb', 't3.micro', eni('front-2')],
      ['store-1-instance', 'ami-0ccc', 'm6i.large', eni('store-1')],
    ]);
    for (const i of of(made, 'Instance')) assert.equal(i.inputs.metadataOptions.httpTokens, 'required');
  });

  it('makes persistent volumes separate EBS volumes attached to their server', async () => {
    const { made, outputs } = await runProgram(plan());
    const vols = of(made, 'Volume');
    assert.deepEqual(vols.map((v) => [v.name, v.inputs.size, v.inputs.type, v.inputs.availabilityZone]), [
      ['store-1-data', 8, 'gp3', 'eu-west-1a'],
      ['store-1-logs', 8, 'gp3', 'eu-west-1a'],
    ]);
    const instance = one(made, 'Instance', 'store-1-instance');
    const attached = of(made, 'VolumeAttachment').map((a) => [a.inputs.volumeId, a.inputs.instanceId, a.inputs.deviceName]).sort();
    assert.deepEqual(attached, [[vols[0]!.id, instance.id, '/dev/sdf'], [vols[1]!.id, instance.id, '/dev/sdg']]);
    assert.deepEqual(outputs['store-1']!.volumeIds, vols.map((v) => v.id));
    assert.deepEqual(outputs['gate-1']!.volumeIds, []);
  });

  it("writes the run's public key, every server's name and role, and the volume mounts into user data, never a private key", async () => {
    const { made, outputs } = await runProgram(plan());
    for (const i of of(made, 'Instance')) {
      const ud = i.inputs.userData as string;
      assert.ok(ud.includes(`'${key}' > /etc/ssh/authorized_keys/testadmin`), `${i.name}: no authorized key`);
      assert.doesNotMatch(ud, /PRIVATE KEY/);
      for (const [name, o] of Object.entries(outputs)) {
        const role = name.replace(/-\d+$/, '');
        assert.ok(ud.includes(`\n${o.privateIp} ${name} ${role}\n`), `${i.name}: no hosts line for ${name}`);
      }
      assert.ok(ud.includes(`hostnamectl set-hostname '${i.name.replace(/-instance$/, '')}'`), i.name);
    }
    const store = one(made, 'Instance', 'store-1-instance').inputs.userData as string;
    const vol = of(made, 'Volume')[0]!.id;
    assert.ok(store.includes(`nvme-Amazon_Elastic_Block_Store_${vol.replace('-', '')}`), 'the volume is found by its serial');
    assert.match(store, /mount '\/srv\/data'/);
    assert.doesNotMatch(one(made, 'Instance', 'front-1-instance').inputs.userData, /mkfs/);
  });

  it('outputs every server with its instance, private address and volumes', async () => {
    const { made, outputs } = await runProgram(plan());
    assert.deepEqual(Object.keys(outputs), ['gate-1', 'front-1', 'front-2', 'store-1']);
    for (const [name, o] of Object.entries(outputs)) {
      assert.equal(o.instanceId, one(made, 'Instance', `${name}-instance`).id);
      assert.match(o.privateIp, /^10\.77\.1\.\d+$/);
    }
    assert.equal(new Set(Object.values(outputs).map((o) => o.privateIp)).size, 4);
  });

  it('points the AWS provider at a local EC2 endpoint when one is set, and at AWS otherwise', async () => {
    const local = one((await runProgram(plan({ endpoint: 'http://127.0.0.1:5555' }))).made, 'Provider', 'aws').inputs;
    assert.equal(local.region, 'eu-west-1');
    assert.deepEqual(JSON.parse(local.endpoints), [{ ec2: 'http://127.0.0.1:5555' }]);
    assert.equal(String(local.skipCredentialsValidation), 'true');
    const real = one((await runProgram(plan())).made, 'Provider', 'aws').inputs;
    assert.equal(real.endpoints, undefined);
    assert.notEqual(String(real.skipCredentialsValidation), 'true');
  });

  it('refuses a private key in user data', async () => {
    await assert.rejects(runProgram(plan({ authorizedKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc' })), /never a private one/);
    assert.throws(() => userData({ server: 's', authorizedKey: '-----BEGIN RSA PRIVATE KEY-----', hosts: [], volumes: [] }), /never a private one/);
  });
});
