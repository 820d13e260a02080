import { collectEvidence, evidenceDirName, failureText } from '../report/evidence.js';
import { Progress } from '../report/progress.js';
import { isQuiet, setLogLevel } from '../log.js';
import { checkHealth, healthBaseline, type HealthBaseline } from './health.js';
import type { CollectEvidence } from './unit-run.js';
import type { ProgressSink } from './timeline.js';
import type { Gate } from './worker.js';

/**
 * Nothing with --quiet. On a terminal, a block of per-worker lines redrawn in place (log lines would tear it, so they
 * are held back); otherwise quiet: one line per finished unit beside the usual log lines.
 */
export function consoleProgress(workers: number, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = stream.isTTY === true;
  const silent = isQuiet();
  if (tty) setLogLevel({ quiet: true });
  const progress = new Progress(workers, { tty: tty && !silent, stream });
  return {
    set: (w, state, label) => silent || progress.set(w, state, label),
    unitDone: (w, unit, outcome, ms) => silent || progress.unitDone(w, unit, outcome, ms),
    stop: () => {
      progress.stop();
      if (tty) setLogLevel({ quiet: silent });
    },
  };
}

/** The health gate: reachable through the bastion, no new failed units, no full disk, the topology's invariants. */
export function runGate(): Gate {
  return { baseline: healthBaseline, check: (env, baseline) => checkHealth(env, baseline as HealthBaseline) };
}

/** Evidence bundles under the results directory, one folder per failed attempt. */
export function runEvidence(resultsDir: string): CollectEvidence {
  return (env, o) => collectEvidence(env, { since: o.since, resultsDir, dir: evidenceDirName(o.unit, o.attempt, o.repeat), failure: failureText(o.phases) });
}
