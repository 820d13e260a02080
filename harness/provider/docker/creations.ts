import { InterruptedError } from '../../errors.js';

/**
 * Creations in flight per environment. Destroy marks the environment doomed, so nothing new is
 * created for it, and waits for what is being created, so nothing appears after the sweep.
 */
export class Creations {
  private readonly doomed = new Set<string>();
  private readonly pending = new Map<string, Set<Promise<unknown>>>();

  guard(env: string): void {
    if (this.doomed.has(env)) throw new InterruptedError(`environment ${env} is being destroyed; not creating more in it`);
  }

  track<T>(env: string, work: Promise<T>): Promise<T> {
    const set = this.pending.get(env) ?? new Set();
    this.pending.set(env, set);
    const forget = (): void => void set.delete(settled);
    const settled: Promise<void> = work.then(forget, forget);
    set.add(settled);
    return work;
  }

  async doom(env: string): Promise<void> {
    this.doomed.add(env);
    await Promise.allSettled([...(this.pending.get(env) ?? [])]);
  }
}
