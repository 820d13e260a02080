import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseConfig } from '../../../../harness/config-file.js';
import { projectSchema } from '../../../../harness/project/schema.js';
import { awsSettingsSchema, instanceTypeOf } from '../../../../harness/provider/aws/settings.js';
import { ownerTag, parseOwnerTag } from '../../../../harness/provider/aws/stacks.js';
import { LABEL, ownerLabels } from '../../../../harness/provider/labels.js';

const project = { name: 'shop', roles: ['gate'], converge: { source: 'cfg', command: 'true' } };
const aws = { region: 'eu-west-1', sshCidr: '198.51.100.0/24' };
const problem = (raw: unknown) => {
  try {
    parseConfig(projectSchema, raw, 'shakedown.yml');
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
};

describe('provider/aws/settings', () => {
  it('is optional in the project file, and docker stays the default provider', () => {
    const p = projectSchema.parse(project);
    assert.equal(p.provider, 'docker');
    assert.equal(p.aws, undefined);
  });

  it('fills defaults and picks a role\'s own instance type over the default', () => {
    const s = awsSettingsSchema.parse({ ...aws, instanceTypes: { store: 'm6i.large' } });
    assert.equal(s.instanceType, 't3.micro');
    assert.equal(s.volumeSize, 8);
    assert.equal(instanceTypeOf(s, 'store'), 'm6i.large');
    assert.equal(instanceTypeOf(s, 'gate'), 't3.micro');
  });

  it('names the key that is wrong, in one line', () => {
    assert.equal(problem({ ...project, aws: { region: 'eu-west-1' } }), 'shakedown.yml: aws.sshCidr: Invalid input: expected string, received undefined');
    assert.match(problem({ ...project, aws: { ...aws, sshCidr: '0.0.0.0/0' } })!, /^shakedown\.yml: aws\.sshCidr: must not be 0\.0\.0\.0\/0/);
    assert.match(problem({ ...project, aws: { ...aws, region: 'Europe' } })!, /^shakedown\.yml: aws\.region: must be an AWS region/);
    assert.match(problem({ ...project, aws: { ...aws, instanceTypes: { gate: 'big' } } })!, /^shakedown\.yml: aws\.instanceTypes\.gate: must be an EC2 instance type/);
    assert.match(problem({ ...project, aws: { ...aws, vpcId: 'vpc-0abc' } })!, /^shakedown\.yml: aws\.subnetId: vpcId and subnetId go together/);
    assert.equal(problem({ ...project, aws: { ...aws, zone: 'a' } }), "shakedown.yml: aws: unknown key 'zone'");
    assert.match(problem({ ...project, provider: 'gcp' })!, /^shakedown\.yml: provider: /);
  });

  it("carries the janitor's labels in one stack tag, and reads them back", () => {
    const labels = ownerLabels({ run: 'r-1', env: 'e-1', worker: 1, topology: 'shop', keep: true, expires: new Date('2030-01-01T00:00:00Z') });
    const tag = ownerTag(labels);
    assert.ok(tag.length <= 256);
    const back = parseOwnerTag(tag);
    for (const k of [LABEL.run, LABEL.env, LABEL.pid, LABEL.pidStart, LABEL.host, LABEL.expires, LABEL.keep]) assert.equal(back[k], labels[k], k);
    assert.deepEqual(parseOwnerTag(undefined), {});
    assert.deepEqual(parseOwnerTag('not json'), {});
  });
});
