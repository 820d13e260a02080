import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BadInputError } from '../errors.js';
import { project } from '../project/index.js';
import { validateDefectFlags, validateTopology, type Catalog } from './validate.js';
import type { Topology } from './schema.js';

/** Where a topology name points: `NAME.yml` in the project's stacks folder, or a path to a file. */
export function topologyPath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yml') || nameOrPath.endsWith('.yaml')) return path.resolve(nameOrPath);
  return path.join(project().stacks, `${nameOrPath}.yml`);
}

/** Reads and checks a topology; `extraDefects` (from --defect) and `base` (from --base) add to it. */
export function loadTopology(nameOrPath: string, catalog: Catalog, extraDefects: readonly string[] = [], base?: string): Topology {
  if (base && !catalog.bases.includes(base as never)) throw new BadInputError(`--base ${base}: not a base of the project (its bases: ${catalog.bases.join(', ')})`);
  const file = topologyPath(nameOrPath);
  if (!existsSync(file)) {
    throw new BadInputError(`topology '${nameOrPath}' not found at ${file}: pick one of ${path.relative(process.cwd(), project().stacks) || '.'}/*.yml or give a path`);
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const line = (error as Error).message.split('\n')[0];
    throw new BadInputError(`topology ${file}: not valid YAML: ${line}`);
  }
  if (raw && typeof raw === 'object' && base) (raw as { base?: string }).base = base;
  const topology = validateTopology(raw, catalog, path.relative(process.cwd(), file) || file);
  validateDefectFlags(extraDefects, catalog);
  return { ...topology, defects: [...topology.defects, ...extraDefects] };
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
