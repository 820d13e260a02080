import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';
import { BUILDER_LABEL } from './builder-label.js';
import { BAKE_FAILED } from './role-dockerfile.js';

/** A failed step's message (an infrastructure error), or the error itself when the step's failure is of another kind. */
export type Explain = (code: number | null, tail: string) => string | Error;

const asError = (e: string | Error) => (typeof e === 'string' ? new InfrastructureError(e) : e);

/** Runs a build step and gives its standard output; on failure `explain` turns the last of its output into the error. */
export function run(cmd: string, args: string[], explain: Explain, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let tail = '';
    let out = '';
    const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-8000));
    child.stdout.on('data', (d: Buffer) => ((out = (out + d.toString()).slice(-64000)), keep(d)));
    child.stderr.on('data', keep);
    child.stdin.end(input ?? '');
    child.on('error', (e) => reject(new InfrastructureError(`${asError(explain(null, '')).message}: cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(asError(explain(code, tail)))));
  });
}

export const lastLines = (text: string, n: number) => text.trim().split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');

/**
 * The converge's own last lines, before the marker the bake prints when it fails. Docker's legacy
 * builder wraps a step's stderr in colour codes, so the reset after the converge's last error
 * starts the marker's line.
 */
export function bakeFailure(tail: string): { code: string; lines: string; output: string } | undefined {
  const lines = tail.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const at = lines.findIndex((l) => l.startsWith(BAKE_FAILED));
  if (at < 0) return undefined;
  // The converge's own output: what the bake step printed after docker started its container.
  const start = lines.slice(0, at).map((l) => l.startsWith(' ---> Running in')).lastIndexOf(true);
  const before = lines.slice(start + 1, at);
  return { code: lines[at]!.slice(BAKE_FAILED.length).trim(), lines: lastLines(before.join('\n'), 6), output: before.join('\n') };
}

/** `docker build` of an untagged image: its id. */
export async function buildForId(args: string[], explain: Explain, dockerfile: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shakedown-iid-'));
  try {
    await run('docker', ['build', '--iidfile', path.join(dir, 'id'), ...args], explain, dockerfile);
    return readFileSync(path.join(dir, 'id'), 'utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes this build's containers, should the engine have kept one (a build stopped part-way); best effort. */
export async function removeBuilders(builder: string): Promise<void> {
  const ids = await run('docker', ['ps', '-aq', '--filter', `label=${BUILDER_LABEL}=${builder}`], () => 'listing builder containers failed').catch(() => '');
  const list = ids.split('\n').filter(Boolean);
  if (list.length) await run('docker', ['rm', '-f', ...list], () => 'removing builder containers failed').catch(() => undefined);
}
