import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BadInputError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { validateDefectFlags, validateTopology, type Catalog } from './validate.js';
import type { Topology } from './schema.js';

/** Where a topology name points: `stacks/NAME.yml`, or a path to a file. */
export function topologyPath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yml') || nameOrPath.endsWith('.yaml')) return path.resolve(nameOrPath);
  return path.join(projectRoot, 'stacks', `${nameOrPath}.yml`);
}

/** Reads and validates a topology; `extraDefects` (from --defect) are appended to the file's own. */
export function loadTopology(nameOrPath: string, catalog: Catalog, extraDefects: readonly string[] = []): Topology {
  const file = topologyPath(nameOrPath);
  if (!existsSync(file)) {
    throw new BadInputError(`topology '${nameOrPath}' not found at ${file}: pick one of stacks/*.yml or give a path`);
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const line = (error as Error).message.split('\n')[0];
    throw new BadInputError(`topology ${file}: not valid YAML: ${line}`);
  }
  const topology = validateTopology(raw, catalog, path.relative(process.cwd(), file) || file);
  validateDefectFlags(extraDefects, catalog);
  return { ...topology, defects: [...topology.defects, ...extraDefects] };
}
