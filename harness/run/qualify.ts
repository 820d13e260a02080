import { interrupted, onInterrupt, throwIfInterrupted } from '../cli/interrupt.js';
import type { RunningEnvironment } from '../environment/environment.js';
import { launchEnvironment } from '../environment/launch.js';
import { exitCodeOf, EXIT, InterruptedError } from '../errors.js';
import { info } from '../log.js';
import type { Provider } from '../provider/provider.js';
import { closingLine, countResults, type RunSummary } from '../report/summary.js';
import { runSuite, type SuiteResult } from '../suite/runner.js';
import type { Topology } from '../topology/schema.js';

export interface QualifyOptions {
  topology: Topology;
  suites: string[];
  provider: Provider;
  run: string;
  ttlMs: number;
}

/** Launch an environment, run the suites against it, destroy it: one qualification. */
export async function qualify(o: QualifyOptions): Promise<{ summary: RunSummary; exitCode: number }> {
  const started = Date.now();
  let envId: string | undefined;
  let env: RunningEnvironment | undefined;
  const unregister = onInterrupt(async () => envId && o.provider.destroy(envId));
  const suites: SuiteResult[] = [];
  let error: unknown;
  let destroyMs: number | undefined;
  try {
    env = await launchEnvironment({ topology: o.topology, provider: o.provider, run: o.run, worker: 0, keep: false, ttlMs: o.ttlMs, onId: (id) => (envId = id) });
    for (const suite of o.suites) {
      throwIfInterrupted();
      info(env.ctx, `suite ${suite}`);
      suites.push(await runSuite(suite, env));
    }
  } catch (e) {
    error = interrupted() ? new InterruptedError(`interrupted by ${interrupted()}`) : e;
  } finally {
    if (env) destroyMs = (await env.destroy().catch(() => undefined))?.destroyMs;
    unregister();
  }
  const counts = countResults(suites);
  const exitCode = error ? exitCodeOf(error) : counts.failed ? EXIT.failed : EXIT.passed;
  const summary: RunSummary = {
    run: o.run,
    ...counts,
    outcome: error ? (exitCode === EXIT.interrupted ? 'interrupted' : 'error') : counts.failed ? 'failed' : 'passed',
    error: error ? (error as Error).message : undefined,
    topology: o.topology.name,
    images: env ? [...new Set(env.record.servers.map((s) => s.image))] : undefined,
    environment: env && { id: env.id, defects: env.record.defects, servers: env.record.servers.map(({ name, role, image }) => ({ name, role, image })) },
    timings: env && { ...env.timings, destroyMs, suitesMs: suites.reduce((n, s) => n + s.durationMs, 0), totalMs: Date.now() - started },
    suites,
  };
  info({ run: o.run }, closingLine(counts));
  return { summary, exitCode };
}
