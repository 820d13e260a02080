import PQueue from 'p-queue';

/**
 * Starts independent runs ahead of the tests that check them, `concurrency` at a time, so one
 * run's waits (a check's window running out, a server booting) overlap another's work. Each test
 * awaits its own run; a failed run fails only its test.
 */
export function runAhead<K, T>(keys: K[], concurrency: number, run: (key: K) => Promise<T>): Map<K, Promise<T>> {
  const queue = new PQueue({ concurrency });
  return new Map(
    keys.map((k) => {
      const p = queue.add(() => run(k)) as Promise<T>;
      // Awaited by its test; until then a rejection must not count as unhandled.
      p.catch(() => undefined);
      return [k, p];
    }),
  );
}
