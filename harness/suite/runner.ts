import { pathToFileURL } from 'node:url';
import Mocha from 'mocha';
import type { RunningEnvironment } from '../environment/environment.js';
import { recorder, resolveAction } from './actions.js';
import { markActionStart, markSuiteStart, setEnvironment } from './context.js';
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

/**
 * Loads spec files the way Mocha's loadFilesAsync does, but each time as new module instances:
 * a suite re-run after an action must register its tests again, and both import() and Node's
 * require(esm) (which Mocha prefers on Node 20.19+) would hand back the cached module.
 */
async function loadFresh(mocha: Mocha, files: string[]): Promise<void> {
  const load = ++loads;
  for (const file of files) {
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    const mod: unknown = await import(`${pathToFileURL(file).href}?load=${load}`);
    mocha.suite.emit('require', mod, file, mocha);
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
}

/** Runs spec files through Mocha's programmatic API against a running environment. */
async function runSpecs(step: Extract<Step, { kind: 'specs' }>, reporter: string): Promise<TestResult[]> {
  markSuiteStart();
  const mocha = new Mocha({ timeout: TEST_TIMEOUT_MS, reporter, color: process.stdout.isTTY });
  await loadFresh(mocha, step.files);
  const tests: TestResult[] = [];
  const record = (state: TestResult['state']) => (test: Mocha.Test, err?: Error) =>
    tests.push({ suite: step.suite, phase: step.phase, title: test.title, fullTitle: test.fullTitle(), state, durationMs: test.duration ?? 0, error: err?.message });
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', record('passed')).on('fail', record('failed')).on('pending', record('skipped'));
  });
  mocha.dispose();
  return tests;
}

/** Runs a unit's steps in order; after a failed action the rest of the unit is reported as skipped. */
export async function runUnit(unit: Unit, env: RunningEnvironment, opts: { reporter?: string; log?: (phase: string) => void } = {}): Promise<SuiteResult[]> {
  const results: SuiteResult[] = [];
  let broken: string | undefined;
  // Specs and actions (a suite's own action module too) see the environment through the same API.
  setEnvironment(env);
  markActionStart(undefined);
  for (const step of unit.steps) {
    const started = Date.now();
    opts.log?.(step.phase);
    const tests: TestResult[] = [];
    if (broken) {
      tests.push({ suite: step.suite, phase: step.phase, title: 'not run', fullTitle: `${step.phase}: not run`, state: 'skipped', durationMs: 0, error: broken });
    } else if (step.kind === 'specs') {
      tests.push(...(await runSpecs(step, opts.reporter ?? 'spec')));
    } else {
      markActionStart(new Date());
      const action = await resolveAction(step.suite, step.action);
      await action(env, recorder(step.suite, step.phase, tests)).catch((e: Error) => (broken = `${step.phase} failed: ${e.message}`));
    }
    results.push({ suite: step.suite, phase: step.phase, tests, durationMs: Date.now() - started });
  }
  setEnvironment(undefined);
  return results;
}
