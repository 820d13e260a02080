import { formatDuration, formatElapsed } from './duration.js';

export type WorkerState = 'launching' | 'running' | 'gate' | 'destroying' | 'evidence' | 'waiting' | 'idle' | 'done';

/** What one worker is doing, as the progress block shows it. Times are on the Progress clock. */
export interface WorkerView {
  worker: number;
  state: WorkerState;
  label?: string;
  /** When the worker entered this state (and label). */
  since: number;
  env?: string;
  /** When `env` came up; unset while it is still launching. */
  envUp?: number;
}

export interface ProgressOptions {
  /** Redraw a live block (a terminal), or print only a line per finished unit (CI logs). */
  tty: boolean;
  stream: NodeJS.WriteStream | NodeJS.WritableStream;
  now?: () => number;
}

const REDRAW_MS = 1000;
/** States in which a worker holds no environment. */
const NO_ENV: WorkerState[] = ['waiting', 'idle', 'done'];

/**
 * One line per worker: `w1 running    functional/backup-restore 12s · env e1a2b3c4 up 40s`.
 * Lines are cut to `columns - 1`, because a line the terminal wraps would throw off the
 * cursor arithmetic of the next redraw.
 */
export function renderBlock(views: WorkerView[], now: number, columns?: number): string[] {
  const idWidth = Math.max(...views.map((v) => `w${v.worker}`.length));
  return views.map((v) => {
    const parts = [`w${v.worker}`.padEnd(idWidth), v.state.padEnd(10)];
    if (v.label) parts.push(v.label);
    if (v.state !== 'done') parts.push(formatElapsed(now - v.since));
    let line = parts.join(' ').trimEnd();
    if (v.env) line += ` · env ${v.env}${v.envUp === undefined ? '' : ` up ${formatElapsed(now - v.envUp)}`}`;
    return columns && line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
  });
}

/** The line a finished unit leaves, in a terminal and in a CI log alike: `w1 functional/backup-restore passed 12.3 s`. */
export function unitDoneLine(worker: number, unit: string, outcome: string, ms: number): string {
  return `w${worker} ${unit} ${outcome} ${formatDuration(ms)}`;
}

/**
 * Console progress while a run goes. In a terminal, a block of one line per worker is redrawn
 * about once a second in place, and finished units scroll above it. Elsewhere only finished
 * units are printed, one plain line each, so CI logs stay short and greppable.
 * Nothing else should write to the same stream while the block is live.
 */
export class Progress {
  private readonly views: WorkerView[];
  private readonly now: () => number;
  private readonly timer?: NodeJS.Timeout;
  private drawn = 0;
  private stopped = false;

  constructor(workers: number, private readonly opts: ProgressOptions) {
    if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`Expected \`workers\` to be an integer from 1 and up, got ${workers}`);
    this.now = opts.now ?? Date.now;
    const start = this.now();
    this.views = Array.from({ length: workers }, (_, i) => ({ worker: i + 1, state: 'idle', since: start }));
    if (opts.tty) {
      this.timer = setInterval(() => this.draw(), REDRAW_MS);
      this.timer.unref();
    }
  }

  /** A worker moved on; `env` names the environment it works in, when it has one. */
  set(worker: number, state: WorkerState, label?: string, env?: string): void {
    const v = this.view(worker);
    const now = this.now();
    if (v.state !== state || v.label !== label) Object.assign(v, { state, label, since: now });
    if (env !== undefined && env !== v.env) Object.assign(v, { env, envUp: undefined });
    if (env === undefined && NO_ENV.includes(state)) Object.assign(v, { env: undefined, envUp: undefined });
    if (v.env && v.envUp === undefined && state !== 'launching') v.envUp = now;
    this.draw();
  }

  unitDone(worker: number, unit: string, outcome: string, ms: number): void {
    this.view(worker);
    this.draw([unitDoneLine(worker, unit, outcome, ms)]);
  }

  /** Stops redrawing; the last block stays on screen. */
  stop(): void {
    if (this.stopped) return;
    clearInterval(this.timer);
    this.draw();
    this.stopped = true;
  }

  private view(worker: number): WorkerView {
    const v = this.views[worker - 1];
    if (!v) throw new RangeError(`Expected a worker from 1 to ${this.views.length}, got ${worker}`);
    return v;
  }

  /** Moves up over the last block, clears to the end of the screen, prints `above` and the block anew. */
  private draw(above: string[] = []): void {
    if (!this.opts.tty || this.stopped) {
      if (above.length) this.opts.stream.write(above.map((l) => `${l}\n`).join(''));
      return;
    }
    const columns = (this.opts.stream as NodeJS.WriteStream).columns;
    const block = renderBlock(this.views, this.now(), columns);
    const up = this.drawn ? `\x1b[${this.drawn}A\r` : '';
    this.opts.stream.write(`${up}\x1b[J${[...above, ...block].map((l) => `${l}\n`).join('')}`);
    this.drawn = block.length;
  }
}
