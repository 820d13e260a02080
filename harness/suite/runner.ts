import Mocha from 'mocha';
import type { RunningEnvironment } from '../environment/environment.js';
import { setEnvironment } from './context.js';
import { suiteFiles } from './discover.js';

export interface TestResult {
  suite: string;
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

export interface SuiteResult {
  suite: string;
  tests: TestResult[];
  durationMs: number;
}

const TEST_TIMEOUT_MS = 180_000;

/** Runs one suite's mocha files against a running environment, through Mocha's programmatic API. */
export async function runSuite(suite: string, env: RunningEnvironment, opts: { reporter?: string } = {}): Promise<SuiteResult> {
  setEnvironment(env);
  const started = Date.now();
  const mocha = new Mocha({ timeout: TEST_TIMEOUT_MS, reporter: opts.reporter ?? 'spec', color: process.stdout.isTTY });
  suiteFiles(suite).forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync();
  const tests: TestResult[] = [];
  const record = (state: TestResult['state']) => (test: Mocha.Test, err?: Error) =>
    tests.push({ suite, title: test.title, fullTitle: test.fullTitle(), state, durationMs: test.duration ?? 0, error: err?.message });
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', record('passed')).on('fail', record('failed')).on('pending', record('skipped'));
  });
  mocha.dispose();
  setEnvironment(undefined);
  return { suite, tests, durationMs: Date.now() - started };
}
