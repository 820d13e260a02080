import type { RunningEnvironment } from '../environment/environment.js';
import { checkHealth, healthBaseline } from '../run/health.js';
import type { LifecycleOptions, Record } from './actions.js';
import type { Step } from './plan.js';
import type { TestResult } from './runner.js';

type ActionStep = Extract<Step, { kind: 'action' }>;

/**
 * How long the rest of the environment may take to recover from one server coming back: its
 * peers reconnect on their own schedules (a standby retries its primary every few seconds).
 */
const SETTLE_MS = 30_000;

/** Runs spec files as part of the action's phase; returns their results. */
export type RunBetweenSpecs = (files: string[]) => Promise<TestResult[]>;

/**
 * How a built-in reboot or relaunch goes, from its planned step. Rolling: after each server the
 * whole environment must pass the health gate's checks (against what was true when the action
 * began) within SETTLE_MS and the suite's `*.between.spec` files, each recorded in the action's phase as
 * "after SERVER: …"; the first failure ends the action.
 */
export async function lifecycleOptions(step: ActionStep, env: RunningEnvironment, record: Record, into: TestResult[], runSpecs: RunBetweenSpecs): Promise<LifecycleOptions> {
  const mode = step.mode ?? 'all';
  const count = step.count ?? 1;
  if (mode === 'all') return { mode, count, between: async () => undefined };
  const baseline = await healthBaseline(env);
  return {
    mode,
    count,
    between: async (after) => {
      await record(`after ${after}: environment healthy`, async () => {
        const deadline = Date.now() + SETTLE_MS;
        for (;;) {
          const verdict = await checkHealth(env, baseline);
          if (verdict.healthy) return;
          if (Date.now() > deadline) throw new Error(`after ${after}, the environment is not healthy within ${SETTLE_MS / 1000} s: ${verdict.reasons.join('; ')}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      });
      if (!step.between?.length) return;
      const results = (await runSpecs(step.between)).map((t) => ({ ...t, title: `after ${after}: ${t.title}`, fullTitle: `${step.phase}: after ${after}: ${t.fullTitle}` }));
      into.push(...results);
      const failed = results.filter((t) => t.state === 'failed');
      if (failed.length) throw new Error(`after ${after}: ${failed.length} check(s) of ${step.suite}'s between specs failed: ${failed[0]!.title}: ${failed[0]!.error ?? ''}`);
    },
  };
}
