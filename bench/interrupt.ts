import { installSignalHandlers, interrupted, onInterrupt } from '../harness/cli/interrupt.js';
import { LABEL } from '../harness/provider/labels.js';
import type { Provider } from '../harness/provider/provider.js';

/**
 * SIGINT/SIGTERM during a bench: let the work in flight finish (more), remove everything this
 * process labelled, then exit 130. Without it a bench stopped mid-launch left the environment's
 * network and volumes behind.
 */
const launched = new Set<string>();

/** Pass as a launch's onId: on a signal the environment is destroyed the way the CLI does, waiting for creations in flight. */
export function benchEnv(id: string): void {
  launched.add(id);
}

export function cleanUpOnSignal(provider: Provider, more: () => Promise<unknown> = async () => undefined): void {
  installSignalHandlers();
  onInterrupt(async () => {
    // Destroy first: it waits for what is being created, where a sweep alone raced creations in flight
    // (a removed volume re-made unlabelled by a container create, a probe network made after the listing).
    await Promise.allSettled([more(), ...[...launched].map((id) => provider.destroy(id))]);
    const mine = (await provider.leftovers()).filter((l) => l.labels[LABEL.pid] === String(process.pid));
    await provider.remove(mine);
    process.stderr.write(`bench interrupted: destroyed its ${launched.size} environments, swept ${mine.length} other objects\n`);
    process.exit(130);
  });
  // A launch whose containers the cleanup removed fails; exiting 1 there would cut the cleanup short.
  process.on('uncaughtException', (error) => {
    if (interrupted()) return;
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
