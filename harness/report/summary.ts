import type { Timings } from '../environment/environment.js';
import type { SuiteResult } from '../suite/runner.js';

export interface RunSummary {
  run: string;
  passed: number;
  failed: number;
  skipped: number;
  outcome: 'passed' | 'failed' | 'error' | 'interrupted';
  error?: string;
  topology: string;
  images: string[];
  environments: {
    id: string;
    topology: string;
    defects: string[];
    servers: { name: string; role: string; image: string }[];
    timings: Timings & { destroyMs?: number };
  }[];
  totalMs: number;
  /** One entry per phase: "build", "functional after reboot", "reboot" (the action itself)… */
  suites: SuiteResult[];
}

export function countResults(suites: SuiteResult[]) {
  const all = suites.flatMap((s) => s.tests);
  const n = (state: string) => all.filter((t) => t.state === state).length;
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') };
}

/** The plain closing line CI reads: 'N passed, N failed'. */
export function closingLine(s: { passed: number; failed: number; skipped: number }): string {
  return `shakedown: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
}
