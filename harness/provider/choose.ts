import { Option } from 'commander';
import { BadInputError } from '../errors.js';
import { project, PROJECT_FILE } from '../project/index.js';
import type { AwsSettings } from './aws/settings.js';
import { DockerProvider } from './docker/docker-provider.js';
import type { Provider } from './provider.js';

export const PROVIDERS = ['docker', 'aws'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
/** The most instances one command may hold at once on AWS unless --max-instances says otherwise. */
export const MAX_INSTANCES = 20;

/** `--provider`, for every command that creates or removes servers. */
export function providerOption(): Option {
  return new Option('--provider <name>', "where servers run (default: the project file's provider, else docker)").choices(PROVIDERS);
}

/** The flag, else the project file's choice, else Docker (the janitor may run outside any project). */
export function providerName(flag?: string): ProviderName {
  if (flag) return flag as ProviderName;
  try {
    return project().provider;
  } catch (error) {
    if (error instanceof BadInputError && error.message.startsWith(`no ${PROJECT_FILE} in`)) return 'docker';
    throw error;
  }
}

/** The project's aws: section, which `--provider aws` needs. */
export function awsSettings(): AwsSettings {
  const p = project();
  if (!p.aws) throw new BadInputError(`--provider aws: ${p.file} has no aws: section; add at least aws: { region: eu-west-1, sshCidr: <your address>/32 } (see README 'Running on AWS')`);
  return p.aws;
}

/** The provider; AWS's (Pulumi and the AWS SDK, seconds to load) is loaded only when chosen. */
export async function chooseProvider(flag?: string): Promise<Provider> {
  if (providerName(flag) === 'docker') return new DockerProvider();
  const settings = awsSettings();
  const { AwsProvider } = await import('./aws/aws-provider.js');
  return new AwsProvider(settings);
}
