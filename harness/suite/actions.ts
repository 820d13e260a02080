import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BadInputError } from '../errors.js';
import type { RunningEnvironment } from '../environment/environment.js';
import { rebootServer, relaunchServer, type RebootHow } from '../environment/lifecycle.js';
import { expectCleanBoot } from './clean-boot.js';
import { suitePath, suitesSource } from './discover.js';
import { idempotence } from './idempotence.js';
import type { LifecycleMode } from './manifest.js';
import { allowTypeScript } from './typescript.js';
import type { TestResult } from './runner.js';

/** Records one observable step of an action as a test result. */
export type Record = (title: string, work: () => Promise<string | void>) => Promise<void>;

/** How a built-in reboot or relaunch goes over the servers (suite.json's `modes` and `count`). */
export interface LifecycleOptions {
  mode: LifecycleMode;
  /** Rounds of a reboot. */
  count: number;
  /**
   * Run after each server of a rolling action, the rest of the environment running: checks the
   * whole environment (health, the suite's `*.between.spec` files) and throws naming what failed.
   */
  between: (after: string) => Promise<void>;
}

/** A lifecycle action: changes the environment, recording each step. A failed step throws. */
export type Action = (env: RunningEnvironment, record: Record, how?: LifecycleOptions) => Promise<void>;

const ALL: LifecycleOptions = { mode: 'all', count: 1, between: async () => undefined };

/** Servers behind the bastion first, then the bastion, whose connection carries the rest. */
function inOrder(env: RunningEnvironment): string[] {
  return [...env.servers().filter((s) => s.name !== env.record.bastion).map((s) => s.name), env.record.bastion];
}

/** All at once (those behind the bastion in parallel, then the bastion), or one at a time with the checks after each. */
async function overServers(env: RunningEnvironment, how: LifecycleOptions, each: (name: string) => Promise<void>, suffix = ''): Promise<void> {
  if (how.mode === 'all') {
    const others = inOrder(env);
    const bastion = others.pop()!;
    await Promise.all(others.map(each));
    await each(bastion);
    return;
  }
  for (const name of inOrder(env)) {
    await each(name);
    await how.between(`${name}${suffix}`);
  }
}

const REBOOTS: [RebootHow, string][] = [
  ['guest', 'by an admin (sudo systemctl reboot)'],
  ['provider', 'from outside (provider)'],
];

/** One reboot of one server, which must come back with no unit failed. */
const rebootOnce = (env: RunningEnvironment, record: Record, name: string, how: RebootHow, label: string, suffix: string) =>
  record(`${name} rebooted ${label}${suffix}`, async () => {
    const { ms } = await rebootServer(env, name, how);
    await expectCleanBoot(env.server(name));
    return `${ms} ms`;
  });

/**
 * Every server rebooted twice, by an admin (`sudo systemctl reboot`), then from outside by the
 * provider: all servers at once each time, or, rolling, one server both ways before the next.
 */
async function reboot(env: RunningEnvironment, record: Record, how = ALL): Promise<void> {
  for (let round = 1; round <= how.count; round++) {
    const suffix = how.count > 1 ? `, round ${round} of ${how.count}` : '';
    if (how.mode === 'all') {
      for (const [kind, label] of REBOOTS) await overServers(env, how, (name) => rebootOnce(env, record, name, kind, label, suffix));
      continue;
    }
    await overServers(env, how, async (name) => {
      for (const [kind, label] of REBOOTS) await rebootOnce(env, record, name, kind, label, suffix);
    }, suffix);
  }
}

export const builtInActions: { [name: string]: Action } = {
  reboot,
  /** Every server re-created from its image, volumes re-attached, new host key learnt out of band: all at once, or one at a time. */
  relaunch: (env, record, how = ALL) =>
    overServers(env, how, (name) => record(`${name} relaunched from its image`, async () => `${(await relaunchServer(env, name)).ms} ms`)),
  /** Every server converged again: nothing may change. */
  idempotence,
};

/** `./action.js` names the suite's action.ts too: TypeScript suites import it by its .js name. */
function actionFile(suite: string, name: string): string {
  const file = path.join(suitesSource(), suite, name);
  const ts = file.replace(/\.js$/, '.ts');
  return existsSync(file) || !existsSync(ts) ? file : ts;
}


/** A built-in action by name, or a suite's own module (`./action.js` exporting `action`). */
export async function resolveAction(suite: string, name: string): Promise<Action> {
  if (!name.startsWith('./')) {
    const a = builtInActions[name];
    if (!a) throw new BadInputError(`${suitePath(suite, 'suite.json')}: action: unknown '${name}' (built in: ${Object.keys(builtInActions).join(', ')}; or ./module.js)`);
    return a;
  }
  await allowTypeScript();
  const mod = (await import(pathToFileURL(actionFile(suite, name)).href)) as { action?: Action };
  if (typeof mod.action !== 'function') throw new BadInputError(`${suitePath(suite, name)} must export an 'action' function`);
  return mod.action;
}

export function recorder(suite: string, phase: string, into: TestResult[]): Record {
  return async (title, work) => {
    const started = Date.now();
    try {
      const note = await work();
      into.push({ suite, phase, title, fullTitle: `${phase}: ${title}${note ? ` (${note})` : ''}`, state: 'passed', durationMs: Date.now() - started });
    } catch (error) {
      into.push({ suite, phase, title, fullTitle: `${phase}: ${title}`, state: 'failed', durationMs: Date.now() - started, error: (error as Error).message });
      throw error;
    }
  };
}
