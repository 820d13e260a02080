import { BadInputError, InfrastructureError, ShakedownError } from '../../errors.js';
import { ec2Endpoint } from './endpoint.js';

interface AwsError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const README = "README 'Running on AWS'";

/** Error codes whose cause is on the user's side: credentials, permissions, a name that does not exist. */
const CONFIGURATION: [RegExp, string][] = [
  [/^(CredentialsProviderError|AuthFailure|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|UnrecognizedClientException|OptInRequired)$/,
    "AWS did not accept the credentials: set AWS_PROFILE or the project's aws.profile (or run 'aws sso login') and try again"],
  [/^UnauthorizedOperation$|^AccessDenied/, `the credentials lack a permission: grant the IAM policy in the ${README}`],
  [/^InvalidAMIID\./, "no such AMI in this region: bake it with 'shakedown images build --provider aws', or fix aws.baseAmi"],
  [/^InvalidInstanceType|^Unsupported$/, 'this instance type is not offered here: pick another in aws.instanceType or aws.instanceTypes'],
  [/^Invalid(Vpc|Subnet)ID\./, "the configured VPC or subnet does not exist in this region: fix aws.vpcId and aws.subnetId, or drop both for a VPC per environment"],
];

/** Error codes that are AWS's side: capacity, throttling that outlasted the retries, quotas (checked in this order). */
const INFRASTRUCTURE: [RegExp, string][] = [
  [/^(InsufficientInstanceCapacity|InsufficientCapacity|InsufficientHostCapacity|InsufficientAddressCapacity)$/,
    'AWS has no capacity for this now: try again later, or another instance type in aws.instanceTypes'],
  [/^(RequestLimitExceeded|Throttling|ThrottlingException|TooManyRequestsException)$/,
    'AWS throttled the calls beyond the retries: lower --launch-concurrency and try again'],
  [/LimitExceeded$|^MaxSpotInstanceCountExceeded$|^ResourceLimitExceeded$/,
    'an account quota is reached: run fewer --workers, run the janitor, or raise the quota in Service Quotas'],
];

/** The one place where EC2's errors enter: each becomes a one-line error of ours naming the facts and the next step. */
export function classifyAwsError(doing: string, error: unknown): ShakedownError {
  if (error instanceof ShakedownError) return error;
  const e = error as AwsError;
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
  const detail = oneLine(e.message ?? String(error));
  const facts = `cannot ${doing}: ${code}: ${detail}`;
  for (const [pattern, next] of CONFIGURATION) if (pattern.test(code)) return new BadInputError(`${facts}; ${next}`, { cause: error });
  for (const [pattern, next] of INFRASTRUCTURE) if (pattern.test(code)) return new InfrastructureError(`${facts}; ${next}`, { cause: error });
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/.test(`${e.code ?? ''} ${detail}`)) {
    const where = ec2Endpoint() ?? 'AWS';
    return new InfrastructureError(`cannot ${doing}: the EC2 endpoint (${where}) did not answer (${detail}); check the network or AWS_ENDPOINT_URL_EC2`, { cause: error });
  }
  if (/Could not load credentials|Could not resolve credentials|Unable to locate credentials/i.test(detail)) {
    return new BadInputError(`${facts}; ${CONFIGURATION[0]![1]}`, { cause: error });
  }
  return new InfrastructureError(`${facts}`, { cause: error });
}

/** Runs an EC2 call, classifying whatever it throws. The SDK's standard retry mode has already retried what is transient. */
export async function ec2Call<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(doing, error);
  }
}

/** An object that is already gone: what a sweep racing another sweep, or a destroy, sees. */
export function isGone(error: unknown): boolean {
  const e = (error as { cause?: AwsError }).cause ?? (error as AwsError);
  return /NotFound$|\.NotFound|^InvalidVolume\.NotFound|^InvalidGroup\.NotFound/.test(e.name ?? e.Code ?? '');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
