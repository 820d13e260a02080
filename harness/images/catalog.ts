import { project } from '../project/current.js';
import { defects } from '../project/defects.js';
import type { BaseName } from '../project/schema.js';
import type { Catalog } from '../topology/validate.js';

/** The Docker tag of a base image. */
export const baseTag = (base: BaseName) => `shakedown/base:${base}`;

/** The tag a role image built from the working tree last moved: what runs use by default. */
export const roleTag = (role: string, version: string, base: BaseName, name = project().name) => `shakedown/${name}/${role}:${version}-${base}`;

/** A role image's own tag, which never moves: the commit it was built from and its recipe hash, which names its content. */
export const immutableTag = (role: string, version: string, base: BaseName, origin: { commit: string; dirty: boolean }, hash: string, name = project().name) =>
  `${roleTag(role, version, base, name)}-${origin.commit === 'none' ? 'none' : origin.commit.slice(0, 12)}${origin.dirty ? '-dirty' : ''}-${hash}`;

/** What the project offers, so a topology can be checked against it before anything is created. */
export function catalog(): Catalog {
  const p = project();
  return { images: p.roles, defects: Object.keys(defects()), versions: p.versions.map((v) => v.name), bases: p.bases };
}
