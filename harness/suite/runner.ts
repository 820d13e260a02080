import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Mocha from 'mocha';
import type { RunningEnvironment } from '../environment/environment.js';
import { recorder, resolveAction } from './actions.js';
import { lifecycleOptions } from './between.js';
import { unitContext, withUnitContext, type UnitContext } from './context.js';
import type { FaultRecord } from './faults/fault.js';
import type { Step, Unit } from './plan.js';
import { allowTypeScript } from './typescript.js';

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
/** Mocha's loading swaps globals (describe, it): one load at a time, whichever worker asks. */
let loading: Promise<unknown> = Promise.resolve();

/**
 * Loads spec files the way Mocha's loadFilesAsync does, but each time as new module instances:
 * a suite re-run after an action must register its tests again, and both import() and Node's
 * require(esm) (which Mocha prefers on Node 20.19+) would hand back the cached module.
 */
function loadFresh(mocha: Mocha, files: string[]): Promise<void> {
  const next = loading.then(() => loadFiles(mocha, files));
  loading = next.catch(() => undefined);
  return next;
}

async function loadFiles(mocha: Mocha, files: string[]): Promise<void> {
  await allowTypeScript();
  const load = ++loads;
  for (const file of files) {
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    const mod: unknown = await import(`${pathToFileURL(file).href}?load=${load}`).catch((e: unknown) => {
      throw new Error(loadFailure(file, e));
    });
    mocha.suite.emit('require', mod, file, mocha);
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
}

/** The package.json that decides how Node reads a file, and whether it says "type": "module". */
export function moduleScope(file: string): { packageJson?: string; esm: boolean } {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const packageJson = path.join(dir, 'package.json');
    if (existsSync(packageJson)) {
      try {
        return { packageJson, esm: (JSON.parse(readFileSync(packageJson, 'utf8')) as { type?: unknown }).type === 'module' };
      } catch {
        return { packageJson, esm: false };
      }
    }
    if (path.dirname(dir) === dir) return { esm: false };
  }
}

/**
 * Why a spec file did not load. Node reads a .js file as CommonJS unless the nearest package.json
 * says "type": "module", and `npm init` writes "commonjs": a spec that imports 'shakedown' then
 * fails to parse, so the message says what to change. A .ts file always loads as an ES module
 * (typescript.ts), so its failure is its own.
 */
export function loadFailure(file: string, error: unknown, scope = moduleScope(file)): string {
  const message = error instanceof Error ? error.message : String(error);
  const ext = path.extname(file);
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  const where = scope.packageJson ? `${shown(scope.packageJson)} does not say "type": "module"` : 'no package.json says "type": "module"';
  const hint = ext === '.js' && !scope.esm ? ` (Node reads it as CommonJS: ${where}; add it, or name the spec *.spec.mjs)` : '';
  return `${shown(file)} did not load: ${message}${hint}`;
}

/** A spec file that does not load fails its phase, like a test, instead of ending the whole run. */
const notLoaded = (step: Extract<Step, { kind: 'specs' }>, error: string): TestResult => ({
  suite: step.suite,
  phase: step.phase,
  title: 'its spec files load',
  fullTitle: `${step.phase}: its spec files load`,
  state: 'failed',
  durationMs: 0,
  error,
});

/** Runs spec files through Mocha's programmatic API against a running environment. */
async function runSpecs(step: Extract<Step, { kind: 'specs' }>, reporter: string | Mocha.ReporterConstructor, signal?: AbortSignal): Promise<TestResult[]> {
  unitContext().suiteStartedAt = new Date();
  const mocha = new Mocha({ timeout: TEST_TIMEOUT_MS, reporter, color: process.stdout.isTTY });
  const unloadable = await loadFresh(mocha, step.files).then(() => undefined, (e: Error) => e.message);
  if (unloadable) {
    mocha.dispose();
    return [notLoaded(step, unloadable)];
  }
  const tests: TestResult[] = [];
  // A test cut off by an interrupt (its environment destroyed under it) did not fail: it was not finished.
  const record = (state: TestResult['state']) => (test: Mocha.Test, err?: Error) => {
    const cut = state === 'failed' && signal?.aborted;
    const error = cut ? `interrupted: ${err?.message ?? ''}` : err?.message;
    tests.push({ suite: step.suite, phase: step.phase, title: test.title, fullTitle: test.fullTitle(), state: cut ? 'skipped' : state, durationMs: test.duration ?? 0, error });
  };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const abort = () => runner.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    runner.on('end', () => signal?.removeEventListener('abort', abort));
    runner.on('pass', record('passed')).on('fail', record('failed')).on('pending', record('skipped'));
  });
  mocha.dispose();
  return tests;
}

export interface RunUnitOptions {
  reporter?: string | Mocha.ReporterConstructor;
  log?: (phase: string) => void;
  /** Aborting stops the unit after its current test. */
  signal?: AbortSignal;
}

/** What a unit left behind: its phases, and whether it declared its environment broken. */
export interface UnitRun {
  results: SuiteResult[];
  broken?: string;
  /** The faults it applied, each with when it was reverted (none: still in place). */
  faults?: FaultRecord[];
}

/** Runs a unit's steps in order; after a failed action the rest of the unit is reported as skipped, and the environment as broken. */
export function runUnit(unit: Unit, env: RunningEnvironment, opts: RunUnitOptions = {}): Promise<UnitRun> {
  // Specs and actions (a suite's own action module too) see the environment through the same API.
  const start = new Date();
  const ctx: UnitContext = { env, suiteStartedAt: start, earlierUnits: [...env.unitWindows], shared: new Map(), faults: [] };
  return withUnitContext(ctx, async () => {
    try {
      return { results: await runSteps(unit, env, ctx, opts), broken: ctx.broken, faults: ctx.faults };
    } finally {
      env.unitWindows.push({ start, end: new Date() });
    }
  });
}

async function runSteps(unit: Unit, env: RunningEnvironment, ctx: UnitContext, opts: RunUnitOptions): Promise<SuiteResult[]> {
  const results: SuiteResult[] = [];
  let broken: string | undefined;
  for (const step of unit.steps) {
    const started = Date.now();
    opts.log?.(step.phase);
    const tests: TestResult[] = [];
    if (broken || opts.signal?.aborted) {
      const why = broken ?? 'interrupted';
      tests.push({ suite: step.suite, phase: step.phase, title: 'not run', fullTitle: `${step.phase}: not run`, state: 'skipped', durationMs: 0, error: why });
    } else if (step.kind === 'specs') {
      tests.push(...(await runSpecs(step, opts.reporter ?? 'spec', opts.signal)));
    } else {
      ctx.actionStartedAt = new Date();
      const action = await resolveAction(step.suite, step.action);
      const record = recorder(step.suite, step.phase, tests);
      const between = (files: string[]) => runSpecs({ kind: 'specs', suite: step.suite, phase: step.phase, files }, opts.reporter ?? 'spec', opts.signal);
      await (step.mode || step.count ? lifecycleOptions(step, env, record, tests, between) : Promise.resolve(undefined))
        .then((how) => action(env, record, how))
        .catch((e: Error) => {
          broken = `${step.phase} failed: ${e.message}`;
          // An action that stopped half-way left the servers in a state no unit expects (a server
          // relaunched, the load balancer not taking it back): its environment goes after this unit.
          ctx.broken ??= `its action did not complete (${broken})`;
          // A failure outside any recorded step (the checks before a rolling action, say) still fails the phase.
          if (!tests.some((t) => t.state === 'failed')) tests.push({ suite: step.suite, phase: step.phase, title: 'the action completes', fullTitle: `${step.phase}: the action completes`, state: 'failed', durationMs: 0, error: e.message });
        });
    }
    results.push({ suite: step.suite, phase: step.phase, tests, durationMs: Date.now() - started });
  }
  return results;
}
