import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BadInputError } from '../errors.js';
import { builtInManifests } from './built-in.js';
import { isOwnSuite, suitePath, suitesSource } from './discover.js';
import { parseConfig, readJson } from '../config-file.js';

/**
 * A suite's optional `suite.json`. A lifecycle suite names an action and the suites it re-runs
 * after it, so a new lifecycle suite needs no change to the harness.
 */
const manifestSchema = z
  .object({
    description: z.string().optional(),
    /** The topology this suite needs, e.g. one with more servers. */
    topology: z.string().optional(),
    /** A built-in action (reboot, relaunch, upgrade) or a module in the suite's folder, e.g. ./action.js. */
    action: z.string().optional(),
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
  return manifest;
}
