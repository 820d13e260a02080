import { shellQuote } from '../environment/server.js';
import { SOURCE_DIR } from '../environment/converge.js';
import { BUILDER_LABEL } from './builder-label.js';

export interface RoleRecipe {
  base: string;
  packages: string[];
  command: string;
  /** SHAKEDOWN_* and the version's variables. */
  env: Record<string, string>;
  /** On every layer, so even a failed bake's layers can be found; the rest go on with --label. */
  project: string;
  /** Exit codes of the converge command that mean success (Puppet's --detailed-exitcodes: 2 = changed). */
  okCodes: number[];
  /** The building process (BUILDER_LABEL's value), on the bake's container so the janitor finds a killed build's. */
  builder: string;
}

/** The line a failed bake prints, so the build's error can quote the converge's own last lines. */
export const BAKE_FAILED = 'shakedown: the converge command exited';

/**
 * The Dockerfile that bakes one role: the tool's packages, the configuration code, then the
 * project's converge command run as root with SHAKEDOWN_BAKING=true. Package scripts must not
 * start daemons inside `docker build` (no systemd there), hence policy-rc.d during the bake.
 */
export function roleDockerfile(r: RoleRecipe): string {
  const exports = Object.entries(r.env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
  const ok = r.okCodes.map((c) => `[ $rc = ${c} ]`).join(' || ');
  const bake = [
    'set -u',
    "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d",
    `cd ${SOURCE_DIR} && export ${exports}`,
    `rc=0; bash -c ${shellQuote(r.command)} || rc=$?`,
    'rm -f /usr/sbin/policy-rc.d',
    `if ! { ${ok}; }; then echo "${BAKE_FAILED} $rc"; exit 1; fi`,
    'apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /tmp/*',
  ].join('\n');
  return [
    `FROM ${r.base}`,
    `LABEL shakedown.project=${JSON.stringify(r.project)}`,
    r.packages.length
      ? `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${r.packages.join(' ')} && apt-get clean && rm -rf /var/lib/apt/lists/*`
      : '',
    `COPY . ${SOURCE_DIR}`,
    // After the packages' layer, which stays cached: the legacy builder gives a step's container the labels so far.
    `LABEL ${BUILDER_LABEL}=${JSON.stringify(r.builder)}`,
    `RUN ${JSON.stringify(['/bin/bash', '-c', bake])}`,
    '',
  ].filter((l, i, all) => l !== '' || i === all.length - 1).join('\n');
}
