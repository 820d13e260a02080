import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunReport, UnitReport } from '../../harness/run/results.js';
import { shakedown, type CliResult } from './cli.js';

export interface FixtureRun extends CliResult {
  report: RunReport;
  dir: string;
  junit: string;
}

const made: string[] = [];

/** A fresh temporary folder, removed by removeFixtureDirs: a test file that makes one calls it in afterEach. */
export function fixtureDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-fixture-'));
  made.push(dir);
  return dir;
}

export function removeFixtureDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs fixture suites (test/fixtures/suites) with their own results and state folders (see fixtureDir). */
export async function fixtureRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<FixtureRun> {
  const dir = fixtureDir();
  const r = await shakedown(['run', '--suites-dir', 'test/fixtures/suites', '--results', dir, ...args], { SHAKEDOWN_STATE_DIR: dir, ...env });
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as RunReport;
  } catch {
    throw new Error(`no report.json (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
  return { ...r, report, dir, junit: readFileSync(path.join(dir, 'junit.xml'), 'utf8') };
}

export const unit = (r: RunReport, name: string): UnitReport => {
  const u = r.units.find((x) => x.unit === name);
  if (!u) throw new Error(`no unit ${name} in the report: ${r.units.map((x) => x.unit).join(', ')}`);
  return u;
};

/** The unit that ran next on the same worker after `name`, by start time. */
export function nextOnWorker(r: RunReport, name: string): UnitReport | undefined {
  const a = unit(r, name).attempts.at(-1)!;
  return r.units
    .filter((u) => u.attempts.at(-1)!.worker === a.worker && u.attempts.at(-1)!.startedAt > a.startedAt)
    .sort((x, y) => x.attempts.at(-1)!.startedAt.localeCompare(y.attempts.at(-1)!.startedAt))[0];
}

export const failedTitles = (u: UnitReport) => u.attempts.at(-1)!.phases.flatMap((p) => p.tests).filter((t) => t.state === 'failed').map((t) => t.fullTitle);
