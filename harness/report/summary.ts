import type { SuiteResult } from '../suite/runner.js';

export function countResults(suites: SuiteResult[]) {
  const all = suites.flatMap((s) => s.tests);
  const n = (state: string) => all.filter((t) => t.state === state).length;
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') };
}

/** The plain closing line CI reads: 'N passed, N failed'. */
export function closingLine(s: { passed: number; failed: number; skipped: number }): string {
  return `shakedown: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
}
