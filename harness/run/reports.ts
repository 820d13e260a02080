import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { junitXml } from '../report/junit.js';
import type { RunReport } from './results.js';

function write(file: string, content: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

/** report.json and junit.xml in the results directory, and copies wherever the flags ask. */
export function writeReports(r: RunReport, dir: string, also: { junit?: string; json?: string; html?: string }): void {
  const json = JSON.stringify(r, null, 2) + '\n';
  const junit = junitXml(r.suites, `shakedown ${r.run}`);
  for (const [file, content] of [
    [path.join(dir, 'report.json'), json],
    [path.join(dir, 'junit.xml'), junit],
    [also.json, json],
    [also.junit, junit],
  ] as const) {
    if (file) write(file, content);
  }
}
