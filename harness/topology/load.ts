import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readYaml } from '../config-file.js';
import { BadInputError } from '../errors.js';
import { baseNamed, project } from '../project/index.js';
import { validateDefectFlags, validateTopology, type Catalog } from './validate.js';
import type { Topology } from './schema.js';

/** Where a topology name points: `NAME.yml` in the project's stacks folder, or a path to a file. */
export function topologyPath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yml') || nameOrPath.endsWith('.yaml')) return path.resolve(nameOrPath);
  return path.join(project().stacks, `${nameOrPath}.yml`);
}

/** Reads and checks a topology; `extraDefects` (from --defect) and `base` (from --base) add to it. */
export function loadTopology(nameOrPath: string, catalog: Catalog, extraDefects: readonly string[] = [], base?: string): Topology {
  const file = topologyPath(nameOrPath);
  if (!existsSync(file)) {
    throw new BadInputError(`topology '${nameOrPath}' not found at ${file}: pick one of ${path.relative(process.cwd(), project().stacks) || '.'}/*.yml or give a path`);
  }
  const topology = validateTopology(readYaml(file, `topology ${file}`), catalog, path.relative(process.cwd(), file) || file);
  // Flags are checked on their own, so a bad one is reported against the flag, not the file.
  validateDefectFlags(extraDefects, catalog);
  return { ...topology, base: base ? baseNamed(base) : topology.base, defects: [...topology.defects, ...extraDefects] };
}

/**
 * The topology a verb uses when none is named: the one named like the project, or the only one
 * in its stacks folder.
 */
export function defaultTopology(): string {
  const p = project();
  const all = existsSync(p.stacks) ? readdirSync(p.stacks).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)) : [];
  if (all.includes(p.name)) return p.name;
  if (all.length === 1) return all[0]!;
  throw new BadInputError(`no topology named --topology, and ${path.relative(process.cwd(), p.stacks) || '.'} has ${all.length ? `several (${all.join(', ')})` : 'none'}: pass --topology NAME, or name one ${p.name}.yml`);
}
