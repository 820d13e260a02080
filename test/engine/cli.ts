import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HOST_VOLUMES, hostFolder } from '../../harness/provider/docker/volume-fill.js';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'bin', 'shakedown.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would. */
export function shakedown(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = start(args, env);
  return finished(child);
}

export function start(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [bin, '--quiet', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Shakedown's containers, networks and volumes on the engine, optionally of one label value. */
export function labelled(filter = 'shakedown.run'): { containers: string[]; networks: string[]; volumes: string[] } {
  const list = (kind: string[], fmt: string) =>
    execFileSync('docker', [...kind, '--filter', `label=${filter}`, '--format', fmt], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return {
    containers: list(['ps', '-a'], '{{.Names}}'),
    networks: list(['network', 'ls'], '{{.Name}}'),
    volumes: list(['volume', 'ls'], '{{.Name}}'),
  };
}

export const nothingLabelled = (filter?: string) => {
  const l = labelled(filter);
  return l.containers.length + l.networks.length + l.volumes.length === 0 ? undefined : l;
};

/** Polls until `probe` returns a value, or fails after `ms`. */
export async function eventually<T>(probe: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Host folders of volumes filled on this host that still exist: of these volumes. */
export const foldersLeft = (volumes: string[]) => volumes.map(hostFolder).filter((f) => existsSync(f));

/** Host folders of volumes filled on this host that still exist: of one environment. */
export const foldersOfEnv = (env: string) => (existsSync(HOST_VOLUMES) ? readdirSync(HOST_VOLUMES).filter((f) => f.startsWith(`sd-${env}`)) : []);
