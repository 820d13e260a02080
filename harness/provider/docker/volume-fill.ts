import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { InfrastructureError } from '../../errors.js';
import { processIsAlive, processStart, SEED_LABEL } from '../labels.js';
import { dockerCall, isNotFound } from './engine.js';

/**
 * Docker fills an empty named volume from its image through a tar stream it pipes to a re-executed
 * copy of itself: for a database's 46 MB, measured here, 1.0–1.2 CPU-seconds of dockerd, 1.35 s
 * on the server's path amid a launch. When Shakedown runs as root beside a local engine, it fills
 * the volume itself instead: the volume is a bind of a host folder (one per volume, named like it),
 * copied with `cp -a` from the image's files, extracted once per image (the cache below). Same
 * content, same owners and modes; dockerd finds the volume filled and copies nothing.
 */
const HOST_ROOT = '/var/lib/shakedown-volumes';
export const HOST_VOLUMES = path.join(HOST_ROOT, 'volumes');
const CACHE = path.join(HOST_ROOT, 'image-files');

let decided: Promise<boolean> | undefined;

/**
 * Whether volumes are filled on this host: Shakedown runs as root (owners kept), on the engine's
 * own host (a local socket, the engine's name is this host's, not rootless). SHAKEDOWN_VOLUME_FILL=engine
 * leaves the fill to Docker.
 */
export function fillsOnHost(docker: Dockerode): Promise<boolean> {
  if (process.env.SHAKEDOWN_VOLUME_FILL === 'engine') return Promise.resolve(false);
  decided ??= (async () => {
    if (process.getuid?.() !== 0 || !(docker.modem as { socketPath?: string }).socketPath) return false;
    const info = (await docker.info()) as { Name?: string; SecurityOptions?: string[] };
    return info.Name === os.hostname() && !(info.SecurityOptions ?? []).some((o) => o.includes('rootless'));
  })().catch(() => false);
  return decided;
}

const OURS = /^sd-[\w.-]+$/;

/** The host folder behind a volume filled on the host (Shakedown's volumes only: their names start with sd-). */
export function hostFolder(volume: string): string {
  if (!OURS.test(volume)) throw new InfrastructureError(`volume name ${JSON.stringify(volume)} is not Shakedown's (sd-…): it has no host folder`);
  return path.join(HOST_VOLUMES, volume);
}

/** The driver options that make a volume a bind of its host folder. */
export function bindOptions(volume: string): Record<string, string> {
  return { type: 'none', o: 'bind', device: hostFolder(volume) };
}

let spread = false;

/**
 * The root of the volumes' folders, made once and marked a top directory (`chattr +T`). ext4 without
 * a journal (this machine's root) skips, for each inode it hands out, every inode of the same block
 * group freed in the last 30 s or so: a database volume's 1,300 files copied where the last
 * environment's copy was just removed took 0.5–1.8 s of kernel time instead of 0.07 s (perf:
 * `recently_deleted` under `__ext4_new_inode`). Under a top directory, ext4 puts each new folder, and
 * the files made in it, in a block group of its own choosing, away from the one just emptied.
 */
function volumesRoot(): string {
  if (!spread) {
    mkdirSync(HOST_VOLUMES, { recursive: true });
    markTopDirectory(HOST_VOLUMES);
    spread = true;
  }
  return HOST_VOLUMES;
}

/** Marks a folder a top directory (ext2/3/4); false where the filesystem or `chattr` refuses, which costs only speed. */
export function markTopDirectory(dir: string): boolean {
  return spawnSync('chattr', ['+T', dir], { stdio: 'ignore' }).status === 0;
}

/** Fills a volume's host folder with `dir` as `image` has it (an empty folder when the image has no such path). */
export async function fillOnHost(docker: Dockerode, o: { image: string; dir: string; volume: string; labels: Record<string, string> }): Promise<void> {
  const { Id } = await dockerCall(`inspect image ${o.image}`, () => docker.getImage(o.image).inspect());
  const files = await imageFiles(docker, Id, o.dir, o.labels);
  const folder = hostFolder(o.volume);
  volumesRoot();
  rmSync(folder, { recursive: true, force: true });
  if (files) await run('cp', ['-a', '--reflink=auto', files, folder]);
  else mkdirSync(folder, { mode: 0o755 });
}

/** Fills a volume's host folder with these files, root's and readable by all (as sshd wants authorized keys). */
export function writeOnHost(volume: string, files: Record<string, string>): void {
  const folder = hostFolder(volume);
  volumesRoot();
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content, { mode: 0o644 });
}

/**
 * Removes every host folder whose volume is gone. The folders are read before the volumes are
 * listed (`volumeNames`): a folder is made after its volume, so one read then whose volume is not
 * listed after lost its volume, and is not one a launch is making. `root`: tests only.
 */
export async function sweepHostFolders(volumeNames: () => Promise<Set<string>>, root = HOST_VOLUMES): Promise<void> {
  if (!existsSync(root)) return;
  const folders = readdirSync(root).filter((n) => OURS.test(n));
  const volumes = await volumeNames();
  for (const name of folders.filter((n) => !volumes.has(n))) {
    const folder = path.join(root, name);
    try {
      // Not rmSync: a database's 1,300 files held the event loop 130 ms, while a spare of this process may be handshaking.
      await rm(folder, { recursive: true, force: true });
    } catch (error) {
      throw new InfrastructureError(`cannot remove ${folder} (${(error as Error).message}); run the janitor as root`);
    }
  }
}

const extracting = new Map<string, Promise<string | undefined>>();

/**
 * `dir` as image `imageId` has it, extracted once (per process, and across processes by an atomic
 * rename): undefined when the image has no such path. A new image's extraction also removes the
 * files of images no longer on the engine, and extractions a killed process left half done.
 */
function imageFiles(docker: Dockerode, imageId: string, dir: string, labels: Record<string, string>): Promise<string | undefined> {
  const entry = path.join(CACHE, imageId.replace(/^sha256:/, ''), createHash('sha256').update(dir).digest('hex').slice(0, 16));
  let files = extracting.get(entry);
  if (!files) {
    const known = path.join(entry, 'files');
    files = existsSync(entry) ? Promise.resolve(existsSync(known) ? known : undefined) : extract(docker, imageId, dir, entry, labels);
    extracting.set(entry, files);
    files.catch(() => extracting.delete(entry));
  }
  return files;
}

async function extract(docker: Dockerode, imageId: string, dir: string, entry: string, labels: Record<string, string>): Promise<string | undefined> {
  const name = `sd-extract-${randomBytes(6).toString('hex')}`;
  const container = await dockerCall(`create ${name} to read ${dir} of ${imageId.slice(7, 19)}`, () =>
    docker.createContainer({ name, Image: imageId, Labels: { ...labels, [SEED_LABEL]: 'image-files' }, HostConfig: { NetworkMode: 'none' } }),
  );
  // Named by its process as the janitor knows one (pid and start time), so a reused pid does not keep it.
  const partial = `${entry}.partial-${process.pid}-${processStart(process.pid) ?? 0}`;
  try {
    const archive = await container.getArchive({ path: dir }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    mkdirSync(partial, { recursive: true });
    // An image without the path is remembered too (an entry with no files): its volume starts empty.
    if (archive) {
      await run('tar', ['-x', '--same-owner', '--numeric-owner', '-C', partial], archive);
      renameSync(path.join(partial, path.basename(dir)), path.join(partial, 'files'));
    }
    try {
      renameSync(partial, entry);
    } catch {
      // Another process extracted it first: the same files.
    }
    await pruneOthers(docker, path.dirname(entry)).catch(() => undefined);
    return archive ? path.join(entry, 'files') : undefined;
  } finally {
    rmSync(partial, { recursive: true, force: true });
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Removes the cached files of images the engine no longer has (not `keep`'s), and extractions of processes that are gone. */
async function pruneOthers(docker: Dockerode, keep: string): Promise<void> {
  for (const image of readdirSync(CACHE)) {
    const folder = path.join(CACHE, image);
    const gone = folder !== keep && (await docker.getImage(`sha256:${image}`).inspect().then(() => false, (e: unknown) => isNotFound(e)));
    if (gone) rmSync(folder, { recursive: true, force: true });
    else
      for (const part of readdirSync(folder)) {
        const owner = /\.partial-(\d+)-(\d+)$/.exec(part);
        if (owner && !processIsAlive(Number(owner[1]), owner[2]!)) rmSync(path.join(folder, part), { recursive: true, force: true });
      }
  }
}

/** Runs a command to its end, `input` piped to it; throws with its stderr when it fails. */
function run(command: string, args: string[], input?: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (input) input.pipe(child.stdin!);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new InfrastructureError(`${command} ${args.join(' ')} failed (exit ${code}): ${stderr.trim().split('\n')[0]}`))));
  });
}
