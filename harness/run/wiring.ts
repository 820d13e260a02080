import { info } from '../log.js';
import type { CollectEvidence } from './unit-run.js';
import type { ProgressSink } from './timeline.js';
import type { Gate } from './worker.js';

export function consoleProgress(_workers: number): ProgressSink {
  return {
    set: () => undefined,
    unitDone: (w, unit, outcome, ms) => info({ worker: w }, `${unit} ${outcome} ${(ms / 1000).toFixed(1)} s`),
    stop: () => undefined,
  };
}

export function runGate(): Gate | undefined {
  return undefined;
}

export function runEvidence(_dir: string): CollectEvidence | undefined {
  return undefined;
}
