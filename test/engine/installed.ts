import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, type CliResult } from './cli.js';

let tarball: string | undefined;
let packDir: string | undefined;

/** Shakedown packed as it would be published (`npm pack`), once per test process; dist/ is already built. */
export function packed(): string {
  if (tarball) return tarball;
  packDir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-pack-'));
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  return tarball;
}

/** Removes the packed tarball's folder. */
export function forgetPacked(): void {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
  packDir = tarball = undefined;
}

/** A temporary folder outside Shakedown's tree, removed by `remove()`. */
export function tempRepo(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `shakedown-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Installs the packed Shakedown into `dir` as a user would: `npm i -D shakedown-x.y.z.tgz`. */
export function installShakedown(dir: string): void {
  execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
  execFileSync('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', packed()], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Runs `npx shakedown ARGS` in a user's repository. */
export function npxShakedown(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawn('npx', ['--no-install', 'shakedown', '--quiet', ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
