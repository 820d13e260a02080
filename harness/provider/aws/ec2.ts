import { EC2Client } from '@aws-sdk/client-ec2';
import { ec2Endpoint } from './endpoint.js';
import type { AwsSettings } from './settings.js';

/** Attempts per call in the SDK's standard retry mode: throttling and 5xx back off and retry. */
export const EC2_ATTEMPTS = 5;

/** An EC2 client for the project's region and profile, honouring AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL. */
export function ec2Client(settings: Pick<AwsSettings, 'region' | 'profile'>): EC2Client {
  // Shakedown runs on Node 20 with the SDK pinned in package.json; the SDK's notice about later
  // releases needing Node 22 would otherwise land in every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = ec2Endpoint();
  return new EC2Client({
    region: settings.region,
    ...(settings.profile && { profile: settings.profile }),
    ...(endpoint && { endpoint }),
    retryMode: 'standard',
    maxAttempts: EC2_ATTEMPTS,
  });
}
