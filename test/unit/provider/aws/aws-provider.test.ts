import assert from 'node:assert/strict';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { describe, it } from 'mocha';
import { BadInputError, InfrastructureError } from '../../../../harness/errors.js';
import { AwsProvider } from '../../../../harness/provider/aws/aws-provider.js';
import { awsSettingsSchema } from '../../../../harness/provider/aws/settings.js';
import { EnvStacks } from '../../../../harness/provider/aws/stacks.js';

/** An EC2 client that fails the test if anything calls it. */
const noEc2 = { send: () => assert.fail('no EC2 call was expected') } as unknown as EC2Client;
const settings = awsSettingsSchema.parse({ region: 'eu-west-1', sshCidr: '198.51.100.7/32', instanceTypes: { store: 'm6i.large' } });
const owner = { run: 'r-1', env: 'e-1', worker: 0, topology: 't', keep: false, expires: new Date('2030-01-01T00:00:00Z') };
const spec = (name: string, image: string) => ({ name, role: name.replace(/-\d+$/, ''), image, publish: [], volumes: [] });

describe('provider/aws/aws-provider', () => {
  it('refuses to relaunch a server of an environment another process launched, before any call', async () => {
    const p = new AwsProvider(settings, { ec2: noEc2, stacks: new EnvStacks('file:///nonexistent') });
    const request = { owner, servers: [spec('store-1', 'img')], authorizedKey: 'ssh-ed25519 AAAA', ctx: {} };
    await assert.rejects(p.relaunch('e-1', request, request.servers[0]!), (e: Error) =>
      e instanceof InfrastructureError && e.message === 'cannot relaunch store-1: environment e-1 was not launched by this process, which alone knows its whole plan');
  });

  it('plans each server with its AMI and its role\'s instance type, and refuses one whose AMI was not looked up', () => {
    const p = new AwsProvider(settings, { ec2: noEc2, stacks: new EnvStacks('file:///nonexistent') });
    const request = { owner, servers: [spec('store-1', 'img-a')], authorizedKey: 'ssh-ed25519 AAAA', ctx: {} };
    assert.throws(() => p.plan(request), (e: Error) => e instanceof BadInputError && /store-1: no AMI known for img-a/.test(e.message));
  });
});
