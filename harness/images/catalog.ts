import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import type { Catalog } from '../topology/validate.js';

export const imagesDir = path.join(projectRoot, 'images');
export const platformDir = path.join(imagesDir, 'platform');
export const BASE_IMAGE = 'shakedown/base:bookworm';

/** A known defect of the example platform, injected by name to prove a suite catches it. */
export interface Defect {
  roles: string[];
  suite: string;
  symptom: string;
  /** Platform versions the defect exists in; all when absent. */
  versions?: string[];
}

/** The defects among `names` that a server of `role` carries at platform `version`. */
export function defectsFor(names: readonly string[], role: string, version: string): string[] {
  const registry = defects();
  return names.filter((d) => registry[d]?.roles.includes(role) && (!registry[d]?.versions || registry[d]!.versions!.includes(version)));
}

/** The Docker tag of a role image at a platform version. */
export const imageTag = (image: string, version: string) => `shakedown/${image}:${version}`;

export function roleImages(): string[] {
  const roles = path.join(platformDir, 'roles');
  if (!existsSync(roles)) return [];
  return readdirSync(roles).filter((r) => r !== 'common').sort();
}

export function defects(): Record<string, Defect> {
  const file = path.join(platformDir, 'defects.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Defect>) : {};
}

export function catalog(): Catalog {
  return { images: roleImages(), defects: Object.keys(defects()) };
}
