import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pulumi from '@pulumi/pulumi';
import { BadInputError } from '../../errors.js';
import { debug, type LogContext } from '../../log.js';
import { LABEL } from '../labels.js';
import { classifyPulumiError } from './pulumi-errors.js';
import { pulumiCommand } from './pulumi-cli.js';

type Stack = pulumi.automation.Stack;
type PulumiFn = () => Promise<Record<string, unknown> | void>;

const { LocalWorkspace } = pulumi.automation;
/** All stacks live in one Pulumi project; each environment is one stack, named by its id. */
export const PROJECT = 'shakedown';
/** One stack tag carries the owner labels the janitor judges by (tags live in the backend, beside the state). */
export const OWNER_TAG = 'shakedown:owner';
const VERDICT_LABELS = [LABEL.run, LABEL.env, LABEL.worker, LABEL.pid, LABEL.pidStart, LABEL.host, LABEL.expires, LABEL.keep] as const;

/** Where stacks are kept: the configured backend, else a file backend under the user's Shakedown folder. */
export function defaultBackend(): string {
  return `file://${path.join(os.homedir(), '.shakedown', 'pulumi')}`;
}

/** Beside a file backend (so its state and work folders go together), else under the user's Shakedown folder. */
function defaultWorkRoot(backend: string): string {
  return backend.startsWith('file://') ? `${new URL(backend).pathname.replace(/\/+$/, '')}-work` : path.join(os.homedir(), '.shakedown', 'pulumi-work');
}

/**
 * One environment's stack at a time through the Automation API: inline program, no Pulumi.yaml of
 * the user's, a work folder per stack (so parallel workers never write the same file).
 */
export class EnvStacks {
  constructor(
    readonly backend: string,
    private readonly workRoot = defaultWorkRoot(backend),
  ) {}

  private async workspaceOptions(stack: string) {
    const workDir = path.join(this.workRoot, stack);
    mkdirSync(workDir, { recursive: true });
    // A file backend's folder must exist before the CLI opens it.
    if (this.backend.startsWith('file://')) mkdirSync(new URL(this.backend).pathname, { recursive: true });
    return {
      workDir,
      pulumiCommand: await pulumiCommand(),
      projectSettings: { name: PROJECT, runtime: 'nodejs' as const, backend: { url: this.backend } },
      envVars: {
        // The state holds no secret (public keys, addresses); a passphrase is still required by the file backend.
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? 'shakedown',
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
      },
    };
  }

  private async select(stack: string, program: PulumiFn): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack({ stackName: stack, projectName: PROJECT, program }, await this.workspaceOptions(stack));
  }

  /** Creates (or resumes) the stack, labels it for the janitor before anything exists, and brings it up. */
  async up(stack: string, labels: Record<string, string>, program: PulumiFn, ctx: LogContext, replace: string[] = []): Promise<Record<string, unknown>> {
    const s = await call('create the stack', stack, () => this.select(stack, program));
    await call('label the stack', stack, () => s.workspace.setTag(stack, OWNER_TAG, ownerTag(labels)));
    const result = await call('bring the stack up', stack, () =>
      s.up({ color: 'never', replace, onOutput: (out) => debug(ctx, out.trimEnd()) }),
    );
    return Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
  }

  /** The outputs of the stack's last update, for a process that did not run it. */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    const s = await call('select the stack', stack, () => this.select(stack, async () => undefined));
    const out = await call('read the stack outputs', stack, () => s.outputs());
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
  }

  /** The URN a resource of this stack has: a relaunch replaces an instance by it. */
  urn(stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
  }

  /** Destroys everything the stack holds and removes it from the backend; an absent stack is already gone. */
  async destroy(stack: string, program: PulumiFn, ctx: LogContext): Promise<void> {
    if (!(await this.exists(stack))) return this.forgetWork(stack);
    const s = await call('select the stack', stack, () => this.select(stack, program));
    await call('destroy the stack', stack, () => s.destroy({ color: 'never', onOutput: (out) => debug(ctx, out.trimEnd()) }));
    await call('remove the stack', stack, () => s.workspace.removeStack(stack));
    this.forgetWork(stack);
  }

  /**
   * What a killed process leaves: a lock (cancel removes it) and operations the engine began but
   * never recorded as done. Those are dropped from the state; what they made on EC2 carries the
   * run's tags and is swept there.
   */
  async clearAbandoned(stack: string, program: PulumiFn): Promise<void> {
    const s = await call('select the stack', stack, () => this.select(stack, program));
    await call('cancel the stack\'s stale update', stack, () => s.cancel());
    const state = await call('export the stack', stack, () => s.exportStack());
    const deployment = state.deployment as { pending_operations?: unknown[] } | undefined;
    if (deployment?.pending_operations?.length) {
      delete deployment.pending_operations;
      await call('import the stack without its pending operations', stack, () => s.importStack(state));
    }
  }

  async exists(stack: string): Promise<boolean> {
    return (await this.names()).some((s) => s.name === stack);
  }

  /** Runs `fn` in a work folder of its own, removed after: listings may run side by side. */
  private async listing<T>(fn: (ws: pulumi.automation.LocalWorkspace) => Promise<T>): Promise<T> {
    const dir = `_list-${process.pid}-${++this.listings}`;
    try {
      const ws = await call('open the backend', '(all)', async () => LocalWorkspace.create(await this.workspaceOptions(dir)));
      return await fn(ws);
    } finally {
      this.forgetWork(dir);
    }
  }
  private listings = 0;

  private names() {
    return this.listing((ws) => call('list stacks', '(all)', () => ws.listStacks({ all: false })));
  }

  /** Every stack in the backend with its owner labels (none when it was never labelled). */
  async list(): Promise<{ name: string; labels: Record<string, string> }[]> {
    return this.listing(async (ws) => {
      const stacks = await call('list stacks', '(all)', () => ws.listStacks({ all: false }));
      return Promise.all(stacks.map(async (s) => {
        const tags = await call('read stack tags', s.name, () => ws.listTags(s.name));
        return { name: s.name, labels: parseOwnerTag(tags[OWNER_TAG]) };
      }));
    });
  }

  /** The stack's work folder, and the CLI's note of which stack that folder selected (one file per folder, under PULUMI_HOME). */
  forgetWork(stack: string): void {
    const dir = path.join(this.workRoot, stack);
    rmSync(dir, { recursive: true, force: true });
    rmSync(selectionFile(dir), { force: true });
  }
}

/** Where the pulumi CLI records the stack a project folder selected: named by the SHA-1 of its Pulumi.yaml path. */
export function selectionFile(workDir: string): string {
  const home = process.env.PULUMI_HOME ?? path.join(os.homedir(), '.pulumi');
  const hash = createHash('sha1').update(path.join(workDir, 'Pulumi.yaml')).digest('hex');
  return path.join(home, 'workspaces', `${PROJECT}-${hash}-workspace.json`);
}

async function call<T>(doing: string, stack: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classifyPulumiError(doing, stack, error);
  }
}

/** The verdict's labels as one tag value: Pulumi stack tags are limited to 256 characters each. */
export function ownerTag(labels: Record<string, string>): string {
  const value = JSON.stringify(Object.fromEntries(VERDICT_LABELS.map((k) => [k.replace('shakedown.', ''), labels[k] ?? ''])));
  if (value.length > 256) throw new BadInputError(`the stack's owner labels take ${value.length} characters, over Pulumi's 256 for a tag: shorten the host name`);
  return value;
}

export function parseOwnerTag(value: string | undefined): Record<string, string> {
  if (!value) return {};
  try {
    const short = JSON.parse(value) as Record<string, string>;
    return Object.fromEntries(Object.entries(short).map(([k, v]) => [`shakedown.${k}`, String(v)]));
  } catch {
    return {};
  }
}
