import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shakedown } from './cli.js';

export interface Summary {
  outcome: string;
  passed: number;
  failed: number;
  suites: { tests: { fullTitle: string; state: string; error?: string }[] }[];
  timings: { readyMs: number };
}

/** Runs the build suite with the given defects and returns the exit code and the JSON results. */
export async function buildRun(defects: string[] = []): Promise<{ code: number | null; summary: Summary; junit: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-test-'));
  const json = path.join(dir, 'r.json');
  const junit = path.join(dir, 'r.xml');
  const r = await shakedown(['run', '--suite', 'build', '--json', json, '--junit', junit, ...defects.flatMap((d) => ['--defect', d])]);
  return { code: r.code, summary: JSON.parse(readFileSync(json, 'utf8')), junit: readFileSync(junit, 'utf8') };
}

export const failures = (s: Summary) => s.suites.flatMap((x) => x.tests).filter((t) => t.state === 'failed');
