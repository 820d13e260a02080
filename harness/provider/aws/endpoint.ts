/**
 * The EC2 endpoint the AWS SDK's standard settings name (AWS_ENDPOINT_URL_EC2, then
 * AWS_ENDPOINT_URL); undefined means AWS itself. The Pulumi program is given the same one.
 */
export function ec2Endpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_EC2 || env.AWS_ENDPOINT_URL || undefined;
}
