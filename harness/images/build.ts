import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';
import { info } from '../log.js';
import { engine, isNotFound } from '../provider/docker/engine.js';
import { BASE_IMAGE, imagesDir, imageTag, roleImages } from './catalog.js';

/** Every platform version gets prebuilt role images: suites run on them and upgrades go between them. */
export const VERSIONS = ['v1', 'v2'];
const HASH_LABEL = 'shakedown.recipe-hash';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

/** A hash of a recipe: every file's path, mode and content, plus anything else it depends on. */
export function recipeHash(dirs: string[], extra: string[] = []): string {
  const h = createHash('sha256');
  for (const file of dirs.flatMap(filesUnder).sort()) {
    h.update(path.relative(imagesDir, file)).update(String(statSync(file).mode & 0o111)).update(readFileSync(file));
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

function run(cmd: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => reject(new InfrastructureError(`${what}: cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new InfrastructureError(`${what} failed (exit ${code}): ${tail.trim().split('\n').slice(-6).join(' | ')}`)),
    );
  });
}

export interface BuildReport {
  image: string;
  built: boolean;
  ms: number;
}

/** Builds the base and every role image whose recipe changed; skips the rest. */
export async function buildImages(opts: { force?: boolean } = {}): Promise<BuildReport[]> {
  const reports: BuildReport[] = [];
  const baseHash = recipeHash([path.join(imagesDir, 'base')]);
  reports.push(await ensure(BASE_IMAGE, baseHash, opts.force, () => run('bash', [path.join(imagesDir, 'base', 'build.sh'), BASE_IMAGE, baseHash], `building ${BASE_IMAGE}`)));
  const baseId = (await labelledHash(BASE_IMAGE)).id!;
  const roleRecipe = [path.join(imagesDir, 'platform'), path.join(imagesDir, 'roles')];
  for (const version of VERSIONS) {
    for (const role of roleImages()) {
      const tag = imageTag(role, version);
      const hash = recipeHash(roleRecipe, [baseId, role, version]);
      const args = ['build', '-q', '-f', path.join(imagesDir, 'roles', 'Dockerfile'), '--build-arg', `BASE=${BASE_IMAGE}`,
        '--build-arg', `ROLE=${role}`, '--build-arg', `VERSION=${version}`, '--label', `${HASH_LABEL}=${hash}`,
        '--label', `shakedown.image=${role}`, '-t', tag, imagesDir];
      reports.push(await ensure(tag, hash, opts.force, () => run('docker', args, `building ${tag}`)));
    }
  }
  return reports;
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
