import pulumi from '@pulumi/pulumi';
import { BadInputError, InfrastructureError, ShakedownError } from '../../errors.js';
import { classifyAwsError } from './classify.js';

const { ConcurrentUpdateError, StackNotFoundError } = pulumi.automation;

/**
 * The one place where the Pulumi engine's errors enter. An AWS error inside a failed update
 * (the provider quotes EC2's `api error CODE: message`) is classified as EC2's own would be.
 */
export function classifyPulumiError(doing: string, stack: string, error: unknown): ShakedownError {
  if (error instanceof ShakedownError) return error;
  const text = String((error as Error).message ?? error);
  if (error instanceof ConcurrentUpdateError) {
    return new InfrastructureError(`cannot ${doing}: stack ${stack} is locked by another update; if that process is gone, run 'shakedown janitor --provider aws'`, { cause: error });
  }
  if (error instanceof StackNotFoundError) return new InfrastructureError(`cannot ${doing}: no stack ${stack} in the backend; it was removed already`, { cause: error });
  const api = /api error ([A-Za-z][\w.]*): ([^\n]*)/.exec(text);
  if (api) return classifyAwsError(doing, { name: api[1], message: api[2] });
  if (/no credential|NoCredentialProviders|failed to refresh cached credentials|No valid credential sources/i.test(text)) {
    return classifyAwsError(doing, { name: 'CredentialsProviderError', message: lastLine(text, /credential/i) });
  }
  if (/incorrect passphrase|passphrase must be set/i.test(text)) {
    return new BadInputError(`cannot ${doing}: the stack's passphrase does not match: set PULUMI_CONFIG_PASSPHRASE to the one the stacks were made with`, { cause: error });
  }
  if (/no resource plugin|failed to load plugin|could not find plugin/i.test(text)) {
    return new InfrastructureError(`cannot ${doing}: the Pulumi plugin is missing (${lastLine(text, /plugin/i)}); install it with 'pulumi plugin install resource aws'`, { cause: error });
  }
  return new InfrastructureError(`cannot ${doing} (stack ${stack}): ${lastLine(text, /error:/i)}; the full log: run with --verbose`, { cause: error });
}

/** The most telling line of the engine's output: the last that matches, else the last line. */
function lastLine(text: string, telling: RegExp): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.filter((l) => telling.test(l)).pop() ?? lines.pop() ?? text).slice(0, 400);
}
