import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BadInputError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { readManifest } from './manifest.js';

/** Compiled suites live beside this file's compiled tree: dist/suites/<name>/*.spec.js. */
const suitesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'suites');

/** Suites are the folders of suites/ in the source tree (a lifecycle suite may hold only its suite.json). */
export function availableSuites(): string[] {
  const source = path.join(projectRoot, 'suites');
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
  const dir = path.join(suitesDir, suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.spec.js')).sort().map((f) => path.join(dir, f));
}
