import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { project } from '../project/index.js';
import { builtInManifests } from './built-in.js';
import { readManifest } from './manifest.js';

let suitesDir: string | undefined;

/** Runs suites from another folder than the project's (the harness's own fixtures). */
export function setSuitesDir(dir: string | undefined): void {
  if (dir !== undefined && (!existsSync(dir) || !statSync(dir).isDirectory())) throw new BadInputError(`--suites-dir ${dir}: no such folder`);
  suitesDir = dir === undefined ? undefined : path.resolve(dir);
}

/** The folder of suites: the project's (`suites:` in its project file) unless --suites-dir says otherwise. */
export const suitesSource = () => suitesDir ?? project().suites;

/** How a suite's folder is shown in messages. */
export const suitePath = (suite: string, file = '') => path.relative(process.cwd(), path.join(suitesSource(), suite, file)) || '.';

/** Spec files are TypeScript (loaded without a build step) or JavaScript. */
export const SPEC = /\.spec\.(ts|mts|js|mjs)$/;

/** Suites are the folders of the suites folder (a lifecycle suite may hold only its suite.json), and the built-in ones. */
export function availableSuites(): string[] {
  const source = suitesSource();
  const own = existsSync(source) ? readdirSync(source, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  return [...new Set([...own, ...Object.keys(builtInManifests)])].sort();
}

/** A suite of the project's own, rather than a built-in one. */
export const isOwnSuite = (suite: string) => existsSync(path.join(suitesSource(), suite));

/** Expands `build,reboot` or `all` into suite names, rejecting unknown ones before anything is launched. */
export function resolveSuites(spec: string): string[] {
  const known = availableSuites();
  const asked = spec === 'all' ? allInOrder(known) : spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (!asked.length) throw new BadInputError(`--suite is empty: name one of ${known.join(', ')}, or all`);
  for (const s of asked) {
    if (!known.includes(s)) throw new BadInputError(`unknown suite '${s}': use one of ${known.join(', ')}, or all`);
  }
  return asked;
}

/**
 * `all`, in the order a qualification reads best: build first, the other plain suites, then the
 * lifecycle suites, upgrade last (it moves the environment to the next version).
 */
function allInOrder(known: string[]): string[] {
  const rank = (s: string) => (s === 'build' ? 0 : !readManifest(s).action ? 1 : s === 'upgrade' ? 3 : 2);
  return [...known].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function suiteFiles(suite: string): string[] {
  const dir = path.join(suitesSource(), suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => SPEC.test(f)).sort().map((f) => path.join(dir, f));
}
