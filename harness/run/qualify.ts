import { interrupted, onInterrupt, throwIfInterrupted } from '../cli/interrupt.js';
import type { RunningEnvironment } from '../environment/environment.js';
import { launchEnvironment } from '../environment/launch.js';
import { exitCodeOf, EXIT, InterruptedError } from '../errors.js';
import { info } from '../log.js';
import type { Provider } from '../provider/provider.js';
import { closingLine, countResults, type RunSummary } from '../report/summary.js';
import type { Unit } from '../suite/plan.js';
import { runUnit, type SuiteResult } from '../suite/runner.js';
import type { Topology } from '../topology/schema.js';

/** Units that share a topology run on one environment, one after another. */
export interface Group {
  topology: Topology;
  units: Unit[];
}

export interface QualifyOptions {
  groups: Group[];
  provider: Provider;
  run: string;
  ttlMs: number;
}

interface GroupOutcome {
  results: SuiteResult[];
  env?: RunningEnvironment;
  destroyMs?: number;
  error?: unknown;
}

async function runGroup(group: Group, o: QualifyOptions): Promise<GroupOutcome> {
  let envId: string | undefined;
  const unregister = onInterrupt(async () => envId && o.provider.destroy(envId));
  const out: GroupOutcome = { results: [] };
  try {
    out.env = await launchEnvironment({ topology: group.topology, provider: o.provider, run: o.run, worker: 0, keep: false, ttlMs: o.ttlMs, onId: (id) => (envId = id) });
    for (const unit of group.units) {
      throwIfInterrupted();
      out.results.push(...(await runUnit(unit, out.env, { log: (phase) => info(out.env!.ctx, `phase ${phase}`) })).results);
    }
  } catch (e) {
    out.error = interrupted() ? new InterruptedError(`interrupted by ${interrupted()}`) : e;
  } finally {
    if (out.env) out.destroyMs = (await out.env.destroy().catch(() => undefined))?.destroyMs;
    unregister();
  }
  return out;
}

/** Launch an environment per topology, run the units against it, destroy it: one qualification. */
export async function qualify(o: QualifyOptions): Promise<{ summary: RunSummary; exitCode: number }> {
  const started = Date.now();
  const outcomes: GroupOutcome[] = [];
  for (const group of o.groups) {
    outcomes.push(await runGroup(group, o));
    if (outcomes.at(-1)!.error) break;
  }
  const suites = outcomes.flatMap((x) => x.results);
  const error = outcomes.find((x) => x.error)?.error;
  const counts = countResults(suites);
  const exitCode = error ? exitCodeOf(error) : counts.failed ? EXIT.failed : EXIT.passed;
  const envs = outcomes.filter((x) => x.env);
  const summary: RunSummary = {
    run: o.run,
    ...counts,
    outcome: error ? (exitCode === EXIT.interrupted ? 'interrupted' : 'error') : counts.failed ? 'failed' : 'passed',
    error: error ? (error as Error).message : undefined,
    topology: o.groups.map((g) => g.topology.name).join(','),
    images: [...new Set(envs.flatMap((x) => x.env!.record.servers.map((s) => s.image)))],
    environments: envs.map(({ env, destroyMs }) => ({
      id: env!.id,
      topology: env!.topology.name,
      defects: env!.record.defects,
      servers: env!.record.servers.map(({ name, role, image }) => ({ name, role, image })),
      timings: { ...env!.timings, destroyMs },
    })),
    totalMs: Date.now() - started,
    suites,
  };
  info({ run: o.run }, closingLine(counts));
  return { summary, exitCode };
}
