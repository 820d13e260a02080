import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';
import { BAKE_FAILED } from './role-dockerfile.js';

export type Explain = (code: number | null, tail: string) => string;

/** Runs a build step and gives its standard output; on failure `explain` turns the last of its output into the error. */
export function run(cmd: string, args: string[], explain: (code: number | null, tail: string) => string, input?: string): Promise<string> {
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

export const lastLines = (text: string, n: number) => text.trim().split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');

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

/** `docker build` of an untagged image: its id. */
export async function buildForId(args: string[], explain: (code: number | null, tail: string) => string, dockerfile: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shakedown-iid-'));
  try {
    await run('docker', ['build', '--iidfile', path.join(dir, 'id'), ...args], explain, dockerfile);
    return readFileSync(path.join(dir, 'id'), 'utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
