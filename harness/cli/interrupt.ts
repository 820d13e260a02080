import { InterruptedError } from '../errors.js';
import { info } from '../log.js';

/** After cleaning up, how long a command may take to write its reports before the process exits anyway. */
const GRACE_MS = 20_000;

type Cleanup = () => Promise<unknown>;
const cleanups = new Set<Cleanup>();
let signalled: NodeJS.Signals | undefined;
let cleaning: Promise<unknown> = Promise.resolve();

/** Registers work to do on SIGINT/SIGTERM (destroy what was launched); returns its unregister. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function interrupted(): NodeJS.Signals | undefined {
  return signalled;
}

/** Resolves once the cleanups started by a signal are done. */
export function cleanupDone(): Promise<unknown> {
  return cleaning;
}

export function throwIfInterrupted(): void {
  if (signalled) throw new InterruptedError(`interrupted by ${signalled}`);
}

/** First signal: clean up, then exit 130. Second signal: exit at once (the janitor removes the rest). */
export function installSignalHandlers(): void {
  const handle = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`${signal} again: exiting now; run 'shakedown janitor' to remove what is left\n`);
      process.exit(130);
    }
    signalled = signal;
    // Should the event loop drain with the command's work still pending, the process still exits 130, never 0.
    process.exitCode = 130;
    info({}, `${signal}: destroying what this run launched (send again to exit at once)`);
    cleaning = Promise.allSettled([...cleanups].map((c) => c()));
    // The command goes on to write its reports and exits 130 itself; this is the backstop.
    cleaning.then(() => setTimeout(() => process.exit(130), GRACE_MS).unref());
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
