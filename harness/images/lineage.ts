import { engine, isNotFound } from '../provider/docker/engine.js';

/** The labels a role image carries: where it came from, all the way down to its base. */
export const LABEL = {
  project: 'shakedown.project',
  role: 'shakedown.image',
  version: 'shakedown.version',
  base: 'shakedown.base',
  hash: 'shakedown.recipe-hash',
  ref: 'shakedown.ref',
  commit: 'shakedown.commit',
  dirty: 'shakedown.dirty',
  baseId: 'shakedown.base-id',
  baseBuilt: 'shakedown.base-built',
  basePackages: 'shakedown.base-packages',
  tool: 'shakedown.tool-version',
  shakedown: 'shakedown.shakedown-version',
  built: 'shakedown.built',
} as const;

/** One image and its ancestry, as the labels say. */
export interface Lineage {
  /** Its immutable tag (or the tag asked for, for a base image). */
  tag: string;
  id: string;
  role: string;
  version: string;
  base: string;
  hash: string;
  ref: string;
  commit: string;
  dirty: boolean;
  baseId: string;
  baseBuilt: string;
  basePackages: string;
  tool: string;
  shakedown: string;
  built: string;
  tags: string[];
}

export interface ImageInfo {
  Id: string;
  RepoTags?: string[] | null;
  Created?: number | string;
  Labels?: Record<string, string> | null;
}

/** Reads an image's lineage from its labels; a base image is its own base. */
export function lineageOf(image: ImageInfo, tag?: string): Lineage {
  const l = image.Labels ?? {};
  const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const hash = l[LABEL.hash] ?? '';
  const immutable = tags.find((t) => t.endsWith(`-${hash}`)) ?? tag ?? tags[0] ?? image.Id;
  if (l[LABEL.role] === 'base') {
    return {
      tag: immutable, id: image.Id, role: 'base', version: '', base: l['shakedown.base-release'] ?? '', hash, ref: '', commit: '', dirty: false,
      baseId: image.Id, baseBuilt: l[LABEL.built] ?? '', basePackages: l['shakedown.packages'] ?? '', tool: '', shakedown: '', built: l[LABEL.built] ?? '', tags,
    };
  }
  return {
    tag: immutable,
    id: image.Id,
    role: l[LABEL.role] ?? '',
    version: l[LABEL.version] ?? '',
    base: l[LABEL.base] ?? '',
    hash,
    ref: l[LABEL.ref] ?? '',
    commit: l[LABEL.commit] ?? '',
    dirty: l[LABEL.dirty] === 'true',
    baseId: l[LABEL.baseId] ?? '',
    baseBuilt: l[LABEL.baseBuilt] ?? '',
    basePackages: l[LABEL.basePackages] ?? '',
    tool: l[LABEL.tool] ?? '',
    shakedown: l[LABEL.shakedown] ?? '',
    built: l[LABEL.built] ?? '',
    tags,
  };
}

/** The lineage of an image by tag or id, or undefined if the engine has no such image. */
export async function inspectLineage(ref: string): Promise<Lineage | undefined> {
  const { docker } = await engine();
  try {
    const i = await docker.getImage(ref).inspect();
    return lineageOf({ Id: i.Id, RepoTags: i.RepoTags, Created: i.Created, Labels: i.Config?.Labels }, ref);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every role image of a project on the engine, newest first. */
export async function projectImages(project: string): Promise<Lineage[]> {
  const { docker } = await engine();
  const list = await docker.listImages({ filters: JSON.stringify({ label: [`${LABEL.project}=${project}`, LABEL.hash] }) });
  return list
    .filter((i) => i.Labels?.[LABEL.role] && i.Labels[LABEL.role] !== 'base' && i.Labels[LABEL.tool] !== undefined)
    .map((i) => lineageOf(i))
    .sort((a, b) => b.built.localeCompare(a.built));
}
