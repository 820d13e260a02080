import { InfrastructureError } from '../errors.js';

interface Member {
  id: number;
  /** The topology of the environment it holds, if any. */
  topology(): string | undefined;
  retired?: string;
}

/** Hands free workers to units, preferring one that already holds the unit's topology. */
export class Pool<W extends Member> {
  private readonly free: W[];
  private waiters: (() => void)[] = [];

  constructor(private readonly all: W[]) {
    this.free = [...all];
  }

  async acquire(topology: string): Promise<W> {
    for (;;) {
      if (this.all.every((w) => w.retired)) {
        throw new InfrastructureError(`no worker could get an environment: ${this.all.map((w) => `worker ${w.id}: ${w.retired}`).join('; ')}`);
      }
      const live = this.free.filter((w) => !w.retired);
      const pick = live.find((w) => w.topology() === topology) ?? live.find((w) => !w.topology()) ?? live[0];
      if (pick) {
        this.free.splice(this.free.indexOf(pick), 1);
        return pick;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  release(w: W): void {
    this.free.push(w);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
