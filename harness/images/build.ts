import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';
import { info } from '../log.js';
import { engine, isNotFound } from '../provider/docker/engine.js';
import { recipesDir } from '../paths.js';
import { homeProject, loadProject, type Project, type Version } from '../project/index.js';
import { resolveRef, treeAt, workingTreeOrigin, type Origin } from '../project/git.js';
import { BUILT_IN_BASES, type BaseName } from '../project/schema.js';
import { baseTag, immutableTag, roleTag } from './catalog.js';
import { convergeEnv, okCodesOf } from '../environment/converge.js';
import { inspectLineage, LABEL, projectImages, type Lineage } from './lineage.js';
import { BAKE_FAILED, roleDockerfile } from './role-dockerfile.js';
import { shakedownVersion } from './version.js';

const HASH_LABEL = 'shakedown.recipe-hash';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * A hash of a recipe: every file's path (relative to its folder), mode and content, plus anything
 * else it depends on; `skip` leaves out files (by relative path) that do not concern it.
 */
export function recipeHash(dirs: string[], extra: string[] = [], skip: (rel: string) => boolean = () => false): string {
  const h = createHash('sha256');
  for (const dir of dirs) {
    for (const file of filesUnder(dir).sort()) {
      const rel = path.relative(dir, file);
      if (skip(rel)) continue;
      h.update(rel).update(String(statSync(file).mode & 0o111)).update(readFileSync(file));
    }
  }
  extra.forEach((e) => h.update(e));
  return h.digest('hex').slice(0, 16);
}

async function labelledHash(tag: string): Promise<{ hash?: string; id?: string }> {
  const { docker } = await engine();
  try {
    const image = await docker.getImage(tag).inspect();
    return { hash: image.Config?.Labels?.[HASH_LABEL], id: image.Id };
  } catch (error) {
    if (isNotFound(error)) return {};
    throw error;
  }
}

/** Runs a build step and gives its standard output; on failure `explain` turns the last of its output into the error. */
function run(cmd: string, args: string[], explain: (code: number | null, tail: string) => string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let tail = '';
    let out = '';
    const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-8000));
    child.stdout.on('data', (d: Buffer) => ((out = (out + d.toString()).slice(-64000)), keep(d)));
    child.stderr.on('data', keep);
    child.stdin.end(input ?? '');
    child.on('error', (e) => reject(new InfrastructureError(`${explain(null, '')}: cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new InfrastructureError(explain(code, tail)))));
  });
}

const lastLines = (text: string, n: number) => text.trim().split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');

/**
 * The converge's own last lines, before the marker the bake prints when it fails. Docker's legacy
 * builder wraps a step's stderr in colour codes, so the reset after the converge's last error
 * starts the marker's line.
 */
export function bakeFailure(tail: string): { code: string; lines: string } | undefined {
  const lines = tail.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const at = lines.findIndex((l) => l.startsWith(BAKE_FAILED));
  if (at < 0) return undefined;
  // The converge's own output: what the bake step printed after docker started its container.
  const start = lines.slice(0, at).map((l) => l.startsWith(' ---> Running in')).lastIndexOf(true);
  const before = lines.slice(start + 1, at);
  return { code: lines[at]!.slice(BAKE_FAILED.length).trim(), lines: lastLines(before.join('\n'), 6) };
}

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

interface RoleBuild {
  p: Project;
  origin: Origin;
  base: BaseName;
  baseImage: Lineage;
  role: string;
  version: Version;
  /** The project's role images already on the engine. */
  existing: Lineage[];
  force?: boolean;
  moveTag: boolean;
}

/** Files under another role's folder (converge.role_dir) are not part of this role's recipe. */
function otherRolesFiles(p: Project, role: string): (rel: string) => boolean {
  const pattern = p.converge.role_dir;
  if (!pattern) return () => false;
  const others = p.roles.filter((r) => r !== role).map((r) => `${pattern.replaceAll('{role}', r).replace(/\/+$/, '')}/`);
  return (rel) => others.some((o) => rel.startsWith(o));
}

async function buildRole(b: RoleBuild): Promise<BuildReport> {
  const { p, role, version } = b;
  const env = convergeEnv(role, version, [], true);
  const hash = recipeHash([p.converge.source], [b.baseImage.id, p.converge.command, p.converge.packages.join(','), JSON.stringify(env)], otherRolesFiles(p, role));
  const tag = immutableTag(role, version.name, b.base, b.origin, hash, p.name);
  const tags = b.moveTag ? [tag, roleTag(role, version.name, b.base, p.name)] : [tag];
  const started = Date.now();
  const same = b.existing.filter((l) => l.hash === hash && l.role === role);
  const exact = same.find((l) => l.commit === b.origin.commit && l.dirty === b.origin.dirty);
  if (exact && !b.force) {
    for (const t of tags) await run('docker', ['tag', exact.id, t], (code, tail) => `tagging ${t} failed (exit ${code}): ${lastLines(tail, 3)}`);
    return { image: exact.tag, built: false, ms: 0, lineage: exact };
  }
  if (same[0] && !b.force) {
    // The same recipe from another commit: the image is not baked again, only labelled with this commit.
    const lineage = await label(b, same[0].id, hash, same[0].tool, tags);
    return { image: tag, built: false, ms: Date.now() - started, lineage, sameAs: same[0].tag };
  }
  info({}, `building ${tag}`);
  // 1. The bake, untagged; 2. its lineage labels (the converge tool's version is known only once it is installed).
  const dockerfile = roleDockerfile({ base: b.baseImage.id, packages: p.converge.packages, command: p.converge.command, env, project: p.name, okCodes: okCodesOf(p) });
  const explain = (code: number | null, tail: string) => {
    const failed = bakeFailure(tail);
    if (!failed) return `building ${tag} failed (exit ${code}): ${lastLines(tail, 6)}`;
    return `baking role ${role} (${tag}): converge command '${p.converge.command}' exited ${failed.code}: ${failed.lines}`;
  };
  const baked = await buildForId(['--force-rm', '-f', '-', p.converge.source], explain, dockerfile);
  const lineage = await label(b, baked, hash, await toolVersion(p, baked), tags);
  const ms = Date.now() - started;
  info({}, `built ${tag} in ${(ms / 1000).toFixed(1)} s`);
  return { image: tag, built: true, ms, lineage };
}

/** Gives an image its lineage labels and tags: a metadata-only build FROM it. */
async function label(b: RoleBuild, image: string, hash: string, tool: string, tags: string[]): Promise<Lineage> {
  const { role, version } = b;
  const labels: Record<string, string> = {
    [LABEL.role]: role,
    [LABEL.version]: version.name,
    [LABEL.base]: b.base,
    [LABEL.hash]: hash,
    [LABEL.ref]: b.origin.ref,
    [LABEL.commit]: b.origin.commit,
    [LABEL.dirty]: String(b.origin.dirty),
    [LABEL.baseId]: b.baseImage.id,
    [LABEL.baseBuilt]: b.baseImage.built,
    [LABEL.basePackages]: b.baseImage.basePackages,
    [LABEL.tool]: tool,
    [LABEL.shakedown]: shakedownVersion(),
    [LABEL.built]: new Date().toISOString(),
  };
  const args = ['build', '-q', ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), ...tags.flatMap((t) => ['-t', t]), '-'];
  await run('docker', args, (code, tail) => `labelling ${tags[0]} failed (exit ${code}): ${lastLines(tail, 3)}`, `FROM ${image}\n`);
  return (await inspectLineage(tags[0]!))!;
}

/** `docker build` of an untagged image: its id. */
async function buildForId(args: string[], explain: (code: number | null, tail: string) => string, dockerfile: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shakedown-iid-'));
  try {
    await run('docker', ['build', '--iidfile', path.join(dir, 'id'), ...args], explain, dockerfile);
    return readFileSync(path.join(dir, 'id'), 'utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The converge tool's version: its Debian packages' versions, or the shell's when it brings none. */
async function toolVersion(p: Project, image: string): Promise<string> {
  const query = p.converge.packages.length
    ? `dpkg-query -W -f '\${Package}=\${Version} ' ${p.converge.packages.join(' ')}`
    : 'echo "bash=$(dpkg-query -W -f "\\${Version}" bash)"';
  const args = ['run', '--rm', '--label', `${LABEL.project}=${p.name}`, '--label', 'shakedown.builder=tool-version', '--network', 'none', '--entrypoint', '/bin/sh', image, '-c', query];
  const out = await run('docker', args, (code, tail) => `reading the converge tool's version in ${image} failed (exit ${code}): ${lastLines(tail, 3)}`);
  return out.trim().slice(0, 200) || 'unknown';
}
