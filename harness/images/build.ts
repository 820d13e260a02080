import path from 'node:path';
import { info } from '../log.js';
import { recipesDir } from '../paths.js';
import { homeProject, loadProject, type Project, type Version } from '../project/index.js';
import { resolveRef, treeAt, workingTreeOrigin, type Origin } from '../project/git.js';
import { BUILT_IN_BASES, type BaseName } from '../project/schema.js';
import { baseTag } from './catalog.js';
import { lastLines, run } from './docker-steps.js';
import { inspectLineage, projectImages, type Lineage } from './lineage.js';
import { recipeHash } from './recipe.js';
import { buildRole } from './role-build.js';

export interface BuildReport {
  image: string;
  built: boolean;
  ms: number;
  lineage: Lineage;
  /** Not baked again: the same recipe was already baked into this image (from another commit). */
  sameAs?: string;
}

export interface BuildOptions {
  force?: boolean;
  bases?: BaseName[];
  /** Build from the project as committed at this ref, never from the working tree. */
  ref?: string;
  /** What the lineage calls the ref (default: `ref` itself), when `ref` is a commit a pipeline pinned. */
  refName?: string;
  /** Only these versions (default: every version of the project). */
  versions?: string[];
}

/**
 * Builds the base and every role image whose recipe is new, for every version; an image whose
 * recipe hash the engine already has is reused. Working-tree builds also move the role's plain
 * tag (`role:version-base`), which runs use by default; builds from a ref leave it alone.
 */
export async function buildImages(opts: BuildOptions = {}): Promise<BuildReport[]> {
  const { p, origin, versions } = buildSource(opts);
  const reports: BuildReport[] = [];
  for (const base of opts.bases ?? p.bases) {
    const baseReport = await buildBase(base, opts.force);
    reports.push(baseReport);
    const existing = await projectImages(p.name);
    for (const version of versions) {
      for (const role of p.roles) {
        reports.push(await buildRole({ p, origin, base, baseImage: baseReport.lineage, role, version, existing, force: opts.force, moveTag: !opts.ref }));
      }
    }
  }
  return reports;
}

/** The project a build reads (the working tree, or the tree at a ref), where it came from, and the versions asked for. */
export function buildSource(opts: Pick<BuildOptions, 'ref' | 'refName' | 'versions'>): { p: Project; origin: Origin; versions: Version[] } {
  const home = homeProject();
  let p = home;
  let origin: Origin;
  if (opts.ref) {
    const commit = resolveRef(home.root, opts.ref);
    p = loadProject(treeAt(home.root, commit));
    origin = { ref: opts.refName ?? opts.ref, commit, dirty: false };
  } else {
    origin = workingTreeOrigin(home);
  }
  const versions = opts.versions ? p.versions.filter((v) => opts.versions!.includes(v.name)) : p.versions;
  return { p, origin, versions };
}

async function buildBase(base: BaseName, force?: boolean): Promise<BuildReport> {
  const release = BUILT_IN_BASES[base];
  const dir = path.join(recipesDir, 'base');
  const tag = baseTag(base);
  const hash = recipeHash([dir], [release]);
  const started = Date.now();
  // By its own hash tag first: another Shakedown version on the same engine may have moved the plain tag to its base.
  const own = `${tag}-${hash}`;
  const current = [await inspectLineage(own), await inspectLineage(tag)].find((l) => l?.hash === hash);
  const built = force || !current;
  if (built) {
    info({}, `building ${tag} (recipe ${hash})`);
    const explain = (code: number | null, tail: string) => `building ${tag} failed (exit ${code}): ${lastLines(tail, 6)}`;
    await run('bash', [path.join(dir, 'build.sh'), tag, hash, release], explain);
  }
  const id = built ? tag : current!.id;
  for (const t of [own, tag]) await run('docker', ['tag', id, t], (code, tail) => `tagging ${t} failed (exit ${code}): ${lastLines(tail, 3)}`);
  const lineage = (await inspectLineage(own))!;
  return { image: lineage.tag, built, ms: built ? Date.now() - started : 0, lineage };
}
