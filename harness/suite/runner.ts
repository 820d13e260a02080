import Mocha from 'mocha';
import type { RunningEnvironment } from '../environment/environment.js';
import { recorder, resolveAction } from './actions.js';
import { setEnvironment } from './context.js';
import type { Step, Unit } from './plan.js';

export interface TestResult {
  suite: string;
  /** e.g. "build", or "functional after reboot". */
  phase: string;
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

/** The results of one phase: a suite's specs, or an action. */
export interface SuiteResult {
  suite: string;
  phase: string;
  tests: TestResult[];
  durationMs: number;
}

const TEST_TIMEOUT_MS = 180_000;
let loads = 0;

/** Runs spec files through Mocha's programmatic API against a running environment. */
async function runSpecs(step: Extract<Step, { kind: 'specs' }>, env: RunningEnvironment, reporter: string): Promise<TestResult[]> {
  setEnvironment(env);
  const mocha = new Mocha({ timeout: TEST_TIMEOUT_MS, reporter, color: process.stdout.isTTY });
  step.files.forEach((f) => mocha.addFile(f));
  // ES modules are cached by URL: a suite re-run after an action needs a fresh instance of its files.
  const load = ++loads;
  const loadFiles = mocha.loadFilesAsync.bind(mocha) as (o: { esmDecorator: (u: URL) => URL }) => Promise<void>;
  await loadFiles({ esmDecorator: (url) => Object.assign(new URL(url.href), { search: `?load=${load}` }) });
  const tests: TestResult[] = [];
  const record = (state: TestResult['state']) => (test: Mocha.Test, err?: Error) =>
    tests.push({ suite: step.suite, phase: step.phase, title: test.title, fullTitle: test.fullTitle(), state, durationMs: test.duration ?? 0, error: err?.message });
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', record('passed')).on('fail', record('failed')).on('pending', record('skipped'));
  });
  mocha.dispose();
  setEnvironment(undefined);
  return tests;
}

/** Runs a unit's steps in order; after a failed action the rest of the unit is reported as skipped. */
export async function runUnit(unit: Unit, env: RunningEnvironment, opts: { reporter?: string; log?: (phase: string) => void } = {}): Promise<SuiteResult[]> {
  const results: SuiteResult[] = [];
  let broken: string | undefined;
  for (const step of unit.steps) {
    const started = Date.now();
    opts.log?.(step.phase);
    const tests: TestResult[] = [];
    if (broken) {
      tests.push({ suite: step.suite, phase: step.phase, title: 'not run', fullTitle: `${step.phase}: not run`, state: 'skipped', durationMs: 0, error: broken });
    } else if (step.kind === 'specs') {
      tests.push(...(await runSpecs(step, env, opts.reporter ?? 'spec')));
    } else {
      const action = await resolveAction(step.suite, step.action);
      await action(env, recorder(step.suite, step.phase, tests)).catch((e: Error) => (broken = `${step.phase} failed: ${e.message}`));
    }
    results.push({ suite: step.suite, phase: step.phase, tests, durationMs: Date.now() - started });
  }
  return results;
}
