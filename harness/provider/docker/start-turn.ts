import type PQueue from 'p-queue';

/**
 * A turn in `queue`, held until the release is called (calling it again does nothing): for a span
 * that begins in one hook and ends in another, as a container start does (server-container.ts).
 */
export function takeTurn(queue: PQueue): Promise<() => void> {
  return new Promise((resolve) => void queue.add(() => new Promise<void>((done) => resolve(() => done()))));
}
