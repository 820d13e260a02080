import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BadInputError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { readManifest } from './manifest.js';

/** The compiled tree: dist/ (this file is dist/harness/suite/discover.js). */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let suitesDir = 'suites';

/**
 * Where suites live, relative to the project root: `suites` (the example platform's), or another
 * folder such as the harness's own test fixtures. Source folder for names and suite.json files,
 * the same path under dist/ for compiled specs and actions.
 */
export function setSuitesDir(dir: string): void {
  const rel = path.isAbsolute(dir) ? path.relative(projectRoot, dir) : dir;
  if (rel.startsWith('..') || !existsSync(path.join(projectRoot, rel))) throw new BadInputError(`--suites-dir ${dir}: no such folder inside the project`);
  suitesDir = path.normalize(rel);
}

export const suitesSource = () => path.join(projectRoot, suitesDir);
export const suitesCompiled = () => path.join(distRoot, suitesDir);

/** Suites are the folders of suites/ in the source tree (a lifecycle suite may hold only its suite.json). */
export function availableSuites(): string[] {
  const source = suitesSource();
  if (!existsSync(source)) return [];
  return readdirSync(source, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

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
  const dir = path.join(suitesCompiled(), suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.spec.js')).sort().map((f) => path.join(dir, f));
}
