import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BadInputError } from '../errors.js';
import { suitesSource } from './discover.js';

/**
 * A suite's optional `suite.json`. A lifecycle suite names an action and the suites it re-runs
 * after it, so a new lifecycle suite needs no change to the harness.
 */
const manifestSchema = z
  .object({
    description: z.string().optional(),
    /** The topology this suite needs, e.g. one with a database replica. */
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
  })
  .strict();

export type Manifest = z.output<typeof manifestSchema>;

export function readManifest(suite: string): Manifest {
  const file = path.join(suitesSource(), suite, 'suite.json');
  if (!existsSync(file)) return manifestSchema.parse({});
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadInputError(`suites/${suite}/suite.json: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  if (parsed.data.then.length && !parsed.data.action) throw new BadInputError(`suites/${suite}/suite.json: then: needs an action to follow`);
  return parsed.data;
}
