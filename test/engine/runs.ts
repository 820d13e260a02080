import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunReport } from '../../harness/run/results.js';
import { shakedown } from './cli.js';

/** What `run --json` writes. */
export type Summary = RunReport;

/** Runs the build suite with the given defects and returns the exit code and the JSON results. */
export function buildRun(defects: string[] = []): Promise<{ code: number | null; summary: Summary; junit: string }> {
  return suiteRun('build', defects);
}

/** Runs suites (e.g. 'build,reboot') with the given defects; returns the exit code and the JSON and JUnit results. */
export async function suiteRun(suites: string, defects: string[] = [], extra: string[] = []): Promise<{ code: number | null; summary: Summary; junit: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-test-'));
  const json = path.join(dir, 'r.json');
  const junit = path.join(dir, 'r.xml');
  try {
    const r = await shakedown(['run', '--suite', suites, '--json', json, '--junit', junit, ...defects.flatMap((d) => ['--defect', d]), ...extra]);
    return { code: r.code, summary: JSON.parse(readFileSync(json, 'utf8')), junit: readFileSync(junit, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const failures = (s: Summary) => s.suites.flatMap((x) => x.tests).filter((t) => t.state === 'failed');

/** Failures by phase, e.g. { 'build after reboot': ['web-1: service php8.2-fpm: is inactive…'] }. */
export function failuresByPhase(s: Summary): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of s.suites) for (const t of p.tests) if (t.state === 'failed') (out[p.phase] ??= []).push(t.error ?? t.fullTitle);
  return out;
}
