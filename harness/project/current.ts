import { BadInputError } from '../errors.js';
import type { BaseName } from './schema.js';
import { findProjectRoot, loadProject, PROJECT_FILE, type Project } from './load.js';

let asked: string | undefined;
let loaded: Project | undefined;
/** The project as committed at a ref, while a run works on it. */
let tree: Project | undefined;

/** Which project the verbs work on: `--project DIR`, else the nearest folder upward with a project file. */
export function chooseProject(dir: string | undefined): void {
  asked = dir;
  loaded = undefined;
  tree = undefined;
}

/**
 * The project the current command works on: the tree of a ref while a run uses one (its suites,
 * topologies and configuration code), else the chosen project, read on first use.
 */
export function project(): Project {
  return tree ?? homeProject();
}

/** Work on the project as committed at a ref (undefined: back to the chosen project). */
export function useTree(p: Project | undefined): void {
  tree = p;
}

/** The project chosen on the command line or found upward: where channels and state live. */
export function homeProject(): Project {
  if (loaded) return loaded;
  const root = asked ?? findProjectRoot(process.cwd());
  if (!root) throw new BadInputError(`no ${PROJECT_FILE} in ${process.cwd()} or any folder above it: run 'npx shakedown init', or pass --project DIR`);
  loaded = loadProject(root);
  return loaded;
}

/** A base the project lists, for --base; anything else is bad input naming the flag. */
export function baseNamed(name: string): BaseName {
  const bases = project().bases;
  if (!bases.includes(name as BaseName)) throw new BadInputError(`--base ${name}: not a base of the project (its bases: ${bases.join(', ')})`);
  return name as BaseName;
}
