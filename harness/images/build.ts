import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';
import { info } from '../log.js';
import { engine, isNotFound } from '../provider/docker/engine.js';
import { recipesDir } from '../paths.js';
import { project, type Project, type Version } from '../project/index.js';
import { BUILT_IN_BASES, type BaseName } from '../project/schema.js';
import { baseTag, roleTag } from './catalog.js';
import { convergeEnv, okCodes } from '../environment/converge.js';
import { BAKE_FAILED, roleDockerfile } from './role-dockerfile.js';

const HASH_LABEL = 'shakedown.recipe-hash';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

/** A hash of a recipe: every file's path (relative to its folder), mode and content, plus anything else it depends on. */
export function recipeHash(dirs: string[], extra: string[] = []): string {
  const h = createHash('sha256');
  for (const dir of dirs) {
    for (const file of filesUnder(dir).sort()) {
      h.update(path.relative(dir, file)).update(String(statSync(file).mode & 0o111)).update(readFileSync(file));
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

/** Runs a build step; on failure `explain` turns the last of its output into the error. */
function run(cmd: string, args: string[], explain: (code: number | null, tail: string) => string, input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-8000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.stdin.end(input ?? '');
    child.on('error', (e) => reject(new InfrastructureError(`${explain(null, '')}: cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new InfrastructureError(explain(code, tail)))));
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
}

/** Builds the base and every role image whose recipe changed, for every version; skips the rest. */
export async function buildImages(opts: { force?: boolean; bases?: BaseName[] } = {}): Promise<BuildReport[]> {
  const p = project();
  const reports: BuildReport[] = [];
  for (const base of opts.bases ?? p.bases) {
    reports.push(await buildBase(base, opts.force));
    const baseId = (await labelledHash(baseTag(base))).id!;
    for (const version of p.versions) {
      for (const role of p.roles) reports.push(await buildRole(p, base, baseId, role, version, opts.force));
    }
  }
  return reports;
}

function buildBase(base: BaseName, force?: boolean): Promise<BuildReport> {
  const release = BUILT_IN_BASES[base];
  const dir = path.join(recipesDir, 'base');
  const tag = baseTag(base);
  const hash = recipeHash([dir], [release]);
  const explain = (code: number | null, tail: string) => `building ${tag} failed (exit ${code}): ${lastLines(tail, 6)}`;
  return ensure(tag, hash, force, () => run('bash', [path.join(dir, 'build.sh'), tag, hash, release], explain));
}

function buildRole(p: Project, base: BaseName, baseId: string, role: string, version: Version, force?: boolean): Promise<BuildReport> {
  const tag = roleTag(role, version.name, base);
  const env = convergeEnv(role, version, [], true);
  const hash = recipeHash([p.converge.source], [baseId, p.converge.command, p.converge.packages.join(','), JSON.stringify(env)]);
  const dockerfile = roleDockerfile({ base: baseTag(base), packages: p.converge.packages, command: p.converge.command, env, project: p.name, okCodes: okCodes() });
  const labels = { [HASH_LABEL]: hash, 'shakedown.image': role, 'shakedown.version': version.name, 'shakedown.base': base };
  const args = ['build', '--force-rm', '-f', '-', ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), '-t', tag, p.converge.source];
  const explain = (code: number | null, tail: string) => {
    const failed = bakeFailure(tail);
    if (!failed) return `building ${tag} failed (exit ${code}): ${lastLines(tail, 6)}`;
    return `baking role ${role} (${tag}): converge command '${p.converge.command}' exited ${failed.code}: ${failed.lines}`;
  };
  return ensure(tag, hash, force, () => run('docker', args, explain, dockerfile));
}

async function ensure(tag: string, hash: string, force: boolean | undefined, build: () => Promise<void>): Promise<BuildReport> {
  const started = Date.now();
  if (!force && (await labelledHash(tag)).hash === hash) return { image: tag, built: false, ms: 0 };
  info({}, `building ${tag} (recipe ${hash})`);
  await build();
  const ms = Date.now() - started;
  info({}, `built ${tag} in ${(ms / 1000).toFixed(1)} s`);
  return { image: tag, built: true, ms };
}
