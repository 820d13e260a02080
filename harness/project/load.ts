import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { parseConfig, readYaml } from '../config-file.js';
import type { AwsSettings } from '../provider/aws/settings.js';
import { projectSchema, type BaseName, type Changes } from './schema.js';

export const PROJECT_FILE = 'shakedown.yml';

/** A version of the project and the variables its converge command gets. */
export interface Version {
  name: string;
  vars: Record<string, string>;
}

/** A validated project file with every path made absolute. */
export interface Project {
  root: string;
  file: string;
  name: string;
  bases: BaseName[];
  roles: string[];
  /** The first is production, the default version of a topology. */
  versions: Version[];
  converge: { source: string; packages: string[]; command: string; changes?: Changes; role_dir?: string };
  stacks: string;
  suites: string;
  upgrade: string;
  defects: string;
  provider: 'docker' | 'aws';
  aws?: AwsSettings;
  /** As written in the project file; `channelSpec` fills in the defaults. */
  channels: Record<string, { ref: string; version?: string }>;
}

/** The nearest folder from `start` upward that holds a project file. */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, PROJECT_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Reads and checks `DIR/shakedown.yml`; a bad key is a one-line BadInputError naming it. */
export function loadProject(dir: string): Project {
  const root = path.resolve(dir);
  const file = path.join(root, PROJECT_FILE);
  const shown = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new BadInputError(`no ${PROJECT_FILE} in ${root}: run 'npx shakedown init' there, or pass --project DIR`);
  const p = parseConfig(projectSchema, readYaml(file, shown), shown);
  const at = (rel: string) => path.resolve(root, rel);
  const source = at(p.converge.source);
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new BadInputError(`${shown}: converge.source: no folder ${p.converge.source} next to the project file`);
  }
  const versions = Array.isArray(p.versions)
    ? p.versions.map((name) => ({ name, vars: {} }))
    : Object.entries(p.versions).map(([name, vars]) => ({ name, vars: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])) }));
  for (const [c, spec] of Object.entries(p.channels)) {
    if (spec.version && !versions.some((v) => v.name === spec.version)) {
      throw new BadInputError(`${shown}: channels.${c}.version: '${spec.version}' is not one of versions (${versions.map((v) => v.name).join(', ')})`);
    }
  }
  return {
    root,
    file,
    name: p.name,
    bases: typeof p.base === 'string' ? [p.base] : [...new Set(p.base)],
    roles: p.roles,
    versions,
    converge: { ...p.converge, source },
    stacks: at(p.stacks),
    suites: at(p.suites),
    upgrade: at(p.upgrade),
    defects: at(p.defects),
    provider: p.provider,
    aws: p.aws,
    channels: p.channels,
  };
}
