import assert from 'node:assert/strict';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, it } from 'mocha';
import { BadInputError, InfrastructureError } from '../../../../harness/errors.js';
import { classifyAwsError, isGone } from '../../../../harness/provider/aws/classify.js';
import { classifyPulumiError } from '../../../../harness/provider/aws/pulumi-errors.js';

const sdkError = (name: string, message: string, status = 400) =>
  new EC2ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });

const cases: [string, string, typeof BadInputError | typeof InfrastructureError, RegExp][] = [
  ['AuthFailure', 'AWS was not able to validate the provided access credentials', BadInputError, /AWS_PROFILE or the project's aws\.profile/],
  ['UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: abc', BadInputError, /IAM policy in the README/],
  ['InvalidAMIID.NotFound', "The image id '[ami-0abc]' does not exist", BadInputError, /images build --provider aws/],
  ['InvalidInstanceType.NotFound', "The instance type 'x9.huge' does not exist", BadInputError, /aws\.instanceTypes/],
  ['InsufficientInstanceCapacity', 'We currently do not have sufficient t3.micro capacity in the Availability Zone you requested', InfrastructureError, /try again later/],
  ['VcpuLimitExceeded', 'You have requested more vCPU capacity than your current vCPU limit of 32 allows', InfrastructureError, /fewer --workers.*Service Quotas/],
  ['VpcLimitExceeded', 'The maximum number of VPCs has been reached.', InfrastructureError, /quota/],
  ['RequestLimitExceeded', 'Request limit exceeded.', InfrastructureError, /--launch-concurrency/],
  ['SomethingNew', 'An unexpected thing', InfrastructureError, /cannot launch: SomethingNew: An unexpected thing$/],
];

describe('provider/aws/classify', () => {
  for (const [code, message, kind, next] of cases) {
    it(`${code} is ${kind.name === 'BadInputError' ? 'configuration (exit 2)' : 'infrastructure (exit 3)'}, one line naming the facts and the next step`, () => {
      const e = classifyAwsError('launch', sdkError(code, message));
      assert.ok(e instanceof kind, `${code} became ${e.constructor.name}`);
      assert.equal(e.exitCode, kind === BadInputError ? 2 : 3);
      assert.ok(e.message.startsWith(`cannot launch: ${code}: ${message.split('\n')[0]}`), e.message);
      assert.match(e.message, next);
      assert.doesNotMatch(e.message, /\n/);
    });
  }

  it('names the endpoint that did not answer', () => {
    const before = process.env.AWS_ENDPOINT_URL_EC2;
    process.env.AWS_ENDPOINT_URL_EC2 = 'http://127.0.0.1:1';
    try {
      const e = classifyAwsError('list tagged instances', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
      assert.ok(e instanceof InfrastructureError);
      assert.match(e.message, /EC2 endpoint \(http:\/\/127\.0\.0\.1:1\) did not answer/);
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_EC2;
      else process.env.AWS_ENDPOINT_URL_EC2 = before;
    }
  });

  it('knows an object that is already gone', () => {
    assert.equal(isGone(sdkError('InvalidInstanceID.NotFound', 'gone')), true);
    assert.equal(isGone(classifyAwsError('x', sdkError('InvalidGroup.NotFound', 'gone'))), true);
    assert.equal(isGone(sdkError('DependencyViolation', 'in use')), false);
  });

  it("classifies an EC2 error quoted in a failed Pulumi update as EC2's own", () => {
    const text = `error: 1 error occurred:\n  * creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 1f2e, api error InvalidAMIID.NotFound: The image id '[ami-0dead]' does not exist\n`;
    const e = classifyPulumiError('bring the stack up', 'e-1', new Error(text));
    assert.ok(e instanceof BadInputError);
    assert.match(e.message, /^cannot bring the stack up: InvalidAMIID\.NotFound: The image id '\[ami-0dead\]' does not exist; no such AMI in this region: bake it/);
  });

  it('turns a missing plugin or an unknown engine failure into one infrastructure line', () => {
    const plugin = classifyPulumiError('bring the stack up', 'e-1', new Error('stderr: error: could not find plugin resource aws v7.48.0\nmore'));
    assert.ok(plugin instanceof InfrastructureError);
    assert.match(plugin.message, /pulumi plugin install resource aws/);
    const other = classifyPulumiError('destroy the stack', 'e-2', new Error('code: 255\n stdout: \n stderr: error: something odd\n'));
    assert.equal(other.message, "cannot destroy the stack (stack e-2): stderr: error: something odd; the full log: run with --verbose");
  });
});
