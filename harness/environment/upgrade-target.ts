import { project } from '../project/index.js';
import type { RunningEnvironment } from './environment.js';

/**
 * The version an upgrade suite upgrades its environment to: the run's target (a channel's
 * version, or --version), else the project's last version.
 */
export function upgradeTarget(env: RunningEnvironment): string {
  return env.topology.upgradeTo ?? project().versions.at(-1)!.name;
}
