import { InfrastructureError } from '../errors.js';

/** What the pool needs to know of a worker. */
export interface Member {
  id: number;
  /** The topology of the environment it holds, or of the spare it is readying, if any. */
  topology(): string | undefined;
  /**
   * Ms before it could start a unit of `topology`: 0 with a fit environment (or a ready spare) at
   * hand, else what is left of its launch; undefined when no launch time is known yet.
   */
  setupMs(topology: string, fresh: boolean): number | undefined;
  retired?: string;
}

/** A unit asking for a worker. */
export interface Request {
  topology: string;
  /** Its place in the run's order (longest first): lower is handed out first. */
  rank: number;
  /** From the duration history; undefined for a unit never run before. */
  expectedMs?: number;
  /** It breaks its environment: its worker will not hold the topology afterwards. */
  breaks?: boolean;
  /** It needs an environment no unit has touched. */
  fresh?: boolean;
}

/** What a unit's worker is expected to leave behind: its topology, at a time. */
interface Busy {
  request: Request;
  /** Expected end of the unit (ms, pool clock); undefined when its duration is unknown. */
  endsAt?: number;
  /** The same, counting an unknown setup as none: a guess for looking ahead, never for holding a unit. */
  roughEnd?: number;
}

interface Waiting<W> {
  request: Request;
  grant: (w: W) => void;
  refuse: (e: Error) => void;
}

/** After a unit, the health gate runs before its worker is free: the margin a busy worker is given when there is one. */
export const GATE_ALLOWANCE_MS = 1000;

export interface PoolOptions {
  /** How long after its unit's expected end a busy worker is still waited for (its health gate). */
  allowanceMs?: number;
  clock?: () => number;
}

/**
 * Hands free workers to units in the run's order, each to the worker that can start it soonest.
 * A unit whose best free worker must launch (or relaunch) for it waits instead when a busy worker
 * holding a healthy environment of its topology is expected free sooner than that launch; free
 * workers meanwhile take the units after it.
 */
export class Pool<W extends Member> {
  private readonly free: W[];
  private readonly busy = new Map<W, Busy>();
  private waiting: Waiting<W>[] = [];
  private timer?: NodeJS.Timeout;
  private closed?: Error;

  private readonly allowanceMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly all: W[],
    o: PoolOptions = {},
  ) {
    this.free = [...all];
    this.allowanceMs = o.allowanceMs ?? 0;
    this.clock = o.clock ?? Date.now;
  }

  acquire(request: Request): Promise<W> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<W>((grant, refuse) => {
      const at = this.waiting.findIndex((e) => e.request.rank > request.rank);
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { request, grant, refuse });
      this.dispatch();
    });
  }

  release(w: W): void {
    this.busy.delete(w);
    this.free.push(w);
    this.dispatch();
  }

  /** Units not handed out yet, first in order first. */
  pending(): Request[] {
    return this.waiting.map((e) => e.request);
  }

  /**
   * When each live worker is expected free (pool clock): now for a free one, its unit's expected
   * end (an unknown launch counted as none) plus the gate's allowance for a busy one; a busy worker
   * whose unit has no expected duration is left out.
   */
  expectedFree(): Map<W, number> {
    const now = this.clock();
    const out = new Map<W, number>();
    for (const w of this.all) {
      if (w.retired) continue;
      const b = this.busy.get(w);
      if (!b) out.set(w, now);
      else if (b.roughEnd !== undefined) out.set(w, Math.max(now, b.roughEnd + this.allowanceMs));
    }
    return out;
  }

  /** The unit a worker is running, if it is busy. */
  runningOn(w: W): Request | undefined {
    return this.busy.get(w)?.request;
  }

  /** The pool's clock, which `expectedFree` reads. */
  now(): number {
    return this.clock();
  }

  /** Workers with no unit. */
  idle(): W[] {
    return [...this.free];
  }

  /** Refuses every waiting unit, and any later one, with `error` (the run was interrupted). */
  close(error: Error): void {
    this.closed = error;
    clearTimeout(this.timer);
    this.waiting.splice(0).forEach((e) => e.refuse(error));
  }

  private dispatch(): void {
    clearTimeout(this.timer);
    if (this.all.every((w) => w.retired)) {
      const error = new InfrastructureError(`no worker could get an environment: ${this.all.map((w) => `worker ${w.id}: ${w.retired}`).join('; ')}`);
      return this.waiting.splice(0).forEach((e) => e.refuse(error));
    }
    const held = new Map<W, Busy>();
    for (const entry of [...this.waiting]) {
      const live = this.free.filter((w) => !w.retired);
      if (!live.length) break;
      const { worker, setup } = this.soonest(live, entry.request);
      const sooner = this.busySooner(entry.request, setup, held);
      if (sooner) held.set(sooner, this.busy.get(sooner)!);
      else this.grant(entry, worker, setup);
    }
    this.recheckWhenOverdue([...held.values()]);
  }

  /** The free worker that can start `r` first; ties go to one holding its topology, then one holding none. */
  private soonest(live: W[], r: Request): { worker: W; setup: number | undefined } {
    const preference = (w: W) => (w.topology() === r.topology ? 0 : w.topology() === undefined ? 1 : 2);
    const cost = (w: W) => w.setupMs(r.topology, !!r.fresh) ?? Number.POSITIVE_INFINITY;
    const worker = [...live].sort((a, b) => cost(a) - cost(b) || preference(a) - preference(b))[0]!;
    return { worker, setup: worker.setupMs(r.topology, !!r.fresh) };
  }

  /** A busy worker, not already awaited by an earlier unit, that will hold a fit environment for `r` before `setup` ms pass. */
  private busySooner(r: Request, setup: number | undefined, held: Map<W, Busy>): W | undefined {
    if (!setup || r.fresh) return undefined;
    const now = this.clock();
    const left = (b: Busy) => b.endsAt! + this.allowanceMs - now;
    const candidates = [...this.busy].filter(([w, b]) => !held.has(w) && !w.retired && !b.request.breaks && b.endsAt !== undefined && w.topology() === r.topology);
    const fit = candidates.filter(([, b]) => left(b) > 0 && left(b) < setup).sort(([, a], [, b]) => left(a) - left(b));
    return fit[0]?.[0];
  }

  private grant(entry: Waiting<W>, worker: W, setup: number | undefined): void {
    this.waiting.splice(this.waiting.indexOf(entry), 1);
    this.free.splice(this.free.indexOf(worker), 1);
    const { expectedMs } = entry.request;
    const endsAt = expectedMs === undefined || setup === undefined ? undefined : this.clock() + setup + expectedMs;
    const roughEnd = expectedMs === undefined ? undefined : this.clock() + (setup ?? 0) + expectedMs;
    this.busy.set(worker, { request: entry.request, endsAt, roughEnd });
    entry.grant(worker);
  }

  /** A unit held for a busy worker stops waiting for it once that worker is overdue. */
  private recheckWhenOverdue(held: Busy[]): void {
    if (!held.length) return;
    const first = Math.min(...held.map((b) => b.endsAt! + this.allowanceMs));
    this.timer = setTimeout(() => this.dispatch(), Math.max(0, first - this.clock()) + 1);
    this.timer.unref();
  }
}
