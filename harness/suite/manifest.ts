import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BadInputError } from '../errors.js';
import { builtInManifests } from './built-in.js';
import { isOwnSuite, suitePath, suitesSource } from './discover.js';
import { parseConfig, readJson } from '../config-file.js';

/** How a built-in reboot or relaunch goes over the servers. */
export const LIFECYCLE_MODES = ['all', 'rolling'] as const;
export type LifecycleMode = (typeof LIFECYCLE_MODES)[number];
/** The actions that take `modes` (and, reboot alone, `count`). */
const MODED_ACTIONS = ['reboot', 'relaunch'];

/**
 * A suite's optional `suite.json`. A lifecycle suite names an action and the suites it re-runs
 * after it, so a new lifecycle suite needs no change to the harness.
 */
const manifestSchema = z
  .object({
    description: z.string().optional(),
    /** The topology this suite needs, e.g. one with more servers. */
    topology: z.string().optional(),
    /** Several topologies, each a unit of its own (instead of `topology`): `reboot`, `reboot@big`. */
    topologies: z.array(z.string().min(1)).min(1).optional(),
    /** A built-in action (reboot, relaunch, upgrade) or a module in the suite's folder, e.g. ./action.js. */
    action: z.string().optional(),
    /**
     * How a built-in reboot or relaunch goes over the servers, each mode a unit of its own: `all`
     * at once, or `rolling`, one at a time with the environment's health (and the suite's
     * `*.between.spec` files) checked after each.
     */
    modes: z.array(z.enum(LIFECYCLE_MODES)).min(1).optional(),
    /** Rounds of a reboot (each by an admin, then from outside): a race may show in some boots only. */
    count: z.number().int().min(1).max(20).optional(),
    /** Suites to run again after the action. */
    then: z.array(z.string()).default([]),
    /**
     * The suite leaves its environment unfit for others (it fails the database over, upgrades
     * the servers…): the worker destroys the environment after it, whatever the health gate says.
     */
    breaks: z.string().optional(),
    /** The suite judges what a launch made (a second converge, say): it gets an environment no unit has touched. */
    fresh: z.boolean().optional(),
    /**
     * An upgrade suite: it launches on the upgrade's source images (`run --upgrade-from`; by
     * default the production version's) and upgrades them in place.
     */
    upgrade: z.boolean().optional(),
  })
  .strict();

export type Manifest = z.output<typeof manifestSchema>;

/** A suite's manifest: its own suite.json, a built-in suite's, or none (a plain suite). */
export function readManifest(suite: string): Manifest {
  const builtIn = builtInManifests[suite];
  if (builtIn && !isOwnSuite(suite)) return builtIn();
  const file = path.join(suitesSource(), suite, 'suite.json');
  if (!existsSync(file)) return manifestSchema.parse({});
  const shown = suitePath(suite, 'suite.json');
  const manifest = parseConfig(manifestSchema, readJson(file, shown), shown);
  if (manifest.then.length && !manifest.action) throw new BadInputError(`${shown}: then: needs an action to follow`);
  checkLifecycleKeys(manifest, shown);
  return manifest;
}

function checkLifecycleKeys(m: Manifest, shown: string): void {
  if (m.topology && m.topologies) throw new BadInputError(`${shown}: topology and topologies: name one topology, or a list under topologies, not both`);
  if (m.modes && !MODED_ACTIONS.includes(m.action ?? '')) throw new BadInputError(`${shown}: modes: only the built-in ${MODED_ACTIONS.join(' and ')} actions take modes (this suite's action is ${m.action ? `'${m.action}'` : 'none'}); remove it`);
  if (m.count !== undefined && m.action !== 'reboot') throw new BadInputError(`${shown}: count: only the built-in reboot action takes a count (this suite's action is ${m.action ? `'${m.action}'` : 'none'}); remove it`);
  for (const key of ['modes', 'topologies'] as const) {
    const list: readonly string[] = m[key] ?? [];
    const twice = list.find((x, i) => list.indexOf(x) !== i);
    if (twice) throw new BadInputError(`${shown}: ${key}: '${twice}' is listed twice; list each once`);
  }
}
