import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BadInputError } from '../errors.js';
import type { RunningEnvironment } from '../environment/environment.js';
import { rebootServer, relaunchServer, type RebootHow } from '../environment/lifecycle.js';
import { suitePath, suitesSource } from './discover.js';
import { idempotence } from './idempotence.js';
import { allowTypeScript } from './typescript.js';
import type { TestResult } from './runner.js';

/** Records one observable step of an action as a test result. */
export type Record = (title: string, work: () => Promise<string | void>) => Promise<void>;

/** A lifecycle action: changes the environment, recording each step. A failed step throws. */
export type Action = (env: RunningEnvironment, record: Record) => Promise<void>;

/** Servers behind the bastion first (in parallel), then the bastion, whose connection carries the rest. */
async function everyServer(env: RunningEnvironment, each: (name: string) => Promise<void>): Promise<void> {
  const others = env.servers().filter((s) => s.name !== env.record.bastion).map((s) => s.name);
  await Promise.all(others.map(each));
  await each(env.record.bastion);
}

const reboot = (how: RebootHow, label: string) => (env: RunningEnvironment, record: Record) =>
  everyServer(env, (name) => record(`${name} rebooted ${label}`, async () => `${(await rebootServer(env, name, how)).ms} ms`));

export const builtInActions: { [name: string]: Action } = {
  /** Every server rebooted twice: by an admin (`sudo systemctl reboot`), then from outside by the provider. */
  reboot: async (env, record) => {
    await reboot('guest', 'by an admin (sudo systemctl reboot)')(env, record);
    await reboot('provider', 'from outside (provider)')(env, record);
  },
  /** Every server re-created from its image, volumes re-attached, new host key learnt out of band. */
  relaunch: (env, record) => everyServer(env, (name) => record(`${name} relaunched from its image`, async () => `${(await relaunchServer(env, name)).ms} ms`)),
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
