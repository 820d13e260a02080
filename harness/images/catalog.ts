import { project } from '../project/current.js';
import { defects } from '../project/defects.js';
import type { BaseName } from '../project/schema.js';
import type { Catalog } from '../topology/validate.js';

/** The Docker tag of a base image. */
export const baseTag = (base: BaseName) => `shakedown/base:${base}`;

/** The Docker tag of a project's role image at a version, on a base. */
export const roleTag = (role: string, version: string, base: BaseName) => `shakedown/${project().name}/${role}:${version}-${base}`;

/** What the project offers, so a topology can be checked against it before anything is created. */
export function catalog(): Catalog {
  const p = project();
  return { images: p.roles, defects: Object.keys(defects()), versions: p.versions.map((v) => v.name), bases: p.bases };
}
