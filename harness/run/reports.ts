import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { htmlReport } from '../report/html.js';
import { junitReport } from '../report/junit.js';
import type { RunReport } from './results.js';

function write(file: string, content: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

/** report.json, junit.xml and report.html in the results directory, and copies wherever the flags ask. */
export function writeReports(r: RunReport, dir: string, also: { junit?: string; json?: string; html?: string }): void {
  const json = JSON.stringify(r, null, 2) + '\n';
  const junit = junitReport(r);
  const html = htmlReport(r);
  for (const [file, content] of [
    [path.join(dir, 'report.json'), json],
    [path.join(dir, 'junit.xml'), junit],
    [path.join(dir, 'report.html'), html],
    [also.html, html],
    [also.json, json],
    [also.junit, junit],
  ] as const) {
    if (file) write(file, content);
  }
}
