/**
 * Bounds how many containers this process is starting at once (from the start request until the
 * container runs; their boots are not bounded). Docker 20.10 does much of a start one container at
 * a time: each re-executes dockerd three times (set-ipv6, setup-resolver, the libnetwork-setkey hook,
 * about 50 ms of CPU each here) and runs a dozen iptables commands under one lock. Five servers
 * started together all waited on it and began booting late, the CPU half idle meanwhile; started
 * two at a time, the first servers boot while the engine sets up the next ones (SSH-ready p50 of
 * the default set 2.67 s instead of 2.90 s, 10 launches of each interleaved, measured here).
 * First come, first served.
 */
export class StartGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`start gate: limit must be a whole number of at least 1, not ${limit}`);
  }

  /** Resolves with the release once a start may go on; calling the release again does nothing. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const go = () => {
        this.running++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.running--;
          this.waiting.shift()?.();
        });
      };
      if (this.running < this.limit) go();
      else this.waiting.push(go);
    });
  }

  /** Starts in progress and starts waiting, for tests and logs. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
