import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { labelled, root, shakedown } from './cli.js';

/** The lines of a stream as they come: a wait finds the first match, whether already seen or still to come. */
export class Lines {
  readonly seen: string[] = [];
  private readonly waiters = new Set<(line?: string) => void>();
  private ended = false;

  constructor(stream: Readable) {
    const rl = createInterface({ input: stream });
    rl.on('line', (line) => {
      this.seen.push(line);
      for (const w of [...this.waiters]) w(line);
    });
    rl.on('close', () => {
      this.ended = true;
      for (const w of [...this.waiters]) w(undefined);
    });
  }

  first(re: RegExp, ms: number, what: string): Promise<string> {
    const old = this.seen.find((l) => re.test(l));
    if (old !== undefined) return Promise.resolve(old);
    return new Promise((resolve, reject) => {
      const settle = (f: () => void) => (clearTimeout(timer), this.waiters.delete(check), f());
      const check = (line?: string) => {
        if (line === undefined) settle(() => reject(new Error(`${what}: the stream ended first; it said:\n${this.tail()}`)));
        else if (re.test(line)) settle(() => resolve(line));
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; last lines:\n${this.tail()}`))), ms);
      this.waiters.add(check);
      if (this.ended) check(undefined);
    });
  }

  tail(n = 15): string {
    return this.seen.slice(-n).join('\n');
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When it exited (Date.now()). */
  at: number;
}

/**
 * `shakedown run` in a child process, not quiet (its log lines are the moments to signal it at),
 * with its results in a fresh temporary folder and Docker's events for its containers watched.
 */
export class Run {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly results = mkdtempSync(path.join(os.tmpdir(), 'shakedown-kill-'));
  readonly stderr: Lines;
  /** `<action> <container name>` for every container event of this process: create, start, kill, die, destroy… */
  readonly events: Lines;
  readonly exit: Promise<Exit>;
  private readonly watcher: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    // Docker's clock and ours may differ by a little; events from before the child are filtered out by its pid anyway.
    const since = ((Date.now() - 2000) / 1000).toFixed(3);
    this.child = spawn(process.execPath, [path.join(root, 'bin', 'shakedown.js'), 'run', ...args, '--results', this.results], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.pid = this.child.pid!;
    this.stderr = new Lines(this.child.stderr!);
    this.exit = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    // `--since` replays what happened before the watch started, so no early event is missed.
    const filters = ['--filter', `label=shakedown.pid=${this.pid}`, '--filter', 'type=container'];
    this.watcher = spawn('docker', ['events', '--since', since, ...filters, '--format', '{{.Action}} {{.Actor.Attributes.name}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.events = new Lines(this.watcher.stdout!);
  }

  /** The first container event whose action matches, e.g. /^create /. */
  event(action: RegExp, ms: number, what: string): Promise<string> {
    return this.events.first(action, ms, what);
  }

  /** The first stderr line that matches. */
  line(re: RegExp, ms: number, what: string): Promise<string> {
    return this.stderr.first(re, ms, what);
  }

  signal(signal: NodeJS.Signals): number {
    this.child.kill(signal);
    return Date.now();
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops watching and removes the results folder. */
  close(): void {
    this.watcher.kill('SIGTERM');
    rmSync(this.results, { recursive: true, force: true });
  }
}

/**
 * `run` arguments for the fixture suite `hold` (two units, each busy on a server behind the
 * bastion) on the two-server topology, quick to launch.
 */
export const holdArgs = (workers: number, ...more: string[]) => [
  '--suite', 'hold', '--suites-dir', 'test/fixtures/suites', '--topology', 'test/fixtures/small.yml', '--workers', String(workers), ...more,
];

/** The first of several moments: whichever comes first names the kill point. */
export function firstOf(...moments: Promise<string>[]): Promise<string> {
  return Promise.any(moments).catch((e: AggregateError) => Promise.reject(new Error(e.errors.map((x: Error) => x.message).join('\n---\n'))));
}

export type Objects = ReturnType<typeof labelled>;
export const NOTHING: Objects = { containers: [], networks: [], volumes: [] };

/** Containers, networks and volumes labelled with this process id. */
export function leftBy(pid: number): Objects {
  const o = labelled(`shakedown.pid=${pid}`);
  return { containers: o.containers.sort(), networks: o.networks.sort(), volumes: o.volumes.sort() };
}

export const count = (o: Objects) => o.containers.length + o.networks.length + o.volumes.length;

export const summary = (o: Objects) => `${o.containers.length} containers, ${o.networks.length} networks, ${o.volumes.length} volumes`;

/** Runs `shakedown janitor` to the end; how long it took and what it said. */
export async function janitor(): Promise<{ ms: number; stdout: string }> {
  const started = Date.now();
  const r = await shakedown(['janitor']);
  assert.equal(r.code, 0, `the janitor exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return { ms: Date.now() - started, stdout: r.stdout };
}

/** After a test, whatever happened: no child of ours left running, nothing of theirs left on the engine. */
export async function reap(runs: Run[]): Promise<void> {
  for (const run of runs) {
    if (run.alive()) run.signal('SIGKILL');
    await run.exit;
    run.close();
  }
  if (runs.some((r) => count(leftBy(r.pid)) > 0)) await shakedown(['janitor']);
}
