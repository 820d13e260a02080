import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';

let version: string | undefined;

/** Shakedown's own version, from its package.json. */
export function shakedownVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
