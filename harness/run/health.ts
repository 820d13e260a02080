import type { RunningEnvironment } from '../environment/environment.js';
import { InfrastructureError } from '../errors.js';
import { debug } from '../log.js';
import { FAILED_UNITS, parseFailedUnits } from '../suite/checks/health.js';
import { probeServer } from './health-probe.js';
import { serverReasons } from './health-reasons.js';

/** What was already true right after launch, so that only what a unit changed counts against it. */
export interface HealthBaseline {
  /** Failed systemd units per server name (a defect may fail one at boot on purpose). */
  failedUnits: Record<string, string[]>;
}

export interface HealthVerdict {
  healthy: boolean;
  /** One line each, naming the server: `app-1: /run is 100% full`. */
  reasons: string[];
  ms: number;
}

export interface HealthOptions {
  /** Per server; every server is checked at once, so this also bounds the whole gate (plus a second). */
  timeoutMs?: number;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 10_000;

/** Takes the baseline right after launch. Throws if a server cannot even list its failed units. */
export async function healthBaseline(env: RunningEnvironment, opts: HealthOptions = {}): Promise<HealthBaseline> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const entries = await Promise.all(
    env.servers().map(async (s) => {
      const r = await s.sh(FAILED_UNITS, { timeoutMs });
      if (!r.ok) throw new InfrastructureError(`${s.name}: cannot take the health baseline: \`${FAILED_UNITS}\` exited ${r.code}: ${r.stderr.trim()}`);
      return [s.name, parseFailedUnits(r.stdout)] as const;
    }),
  );
  return { failedUnits: Object.fromEntries(entries) };
}

/**
 * The health gate after a unit: is this environment still fit for the next one? Every server at
 * once: reachable through the bastion (its connection and a fresh one), no newly failed units, no
 * full file system, and its role's invariants hold. Never throws for an unhealthy server; the
 * verdict says why.
 */
export async function checkHealth(env: RunningEnvironment, baseline: HealthBaseline, opts: HealthOptions = {}): Promise<HealthVerdict> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const probes = await Promise.all(env.servers().map((s) => probeServer(env, s, timeoutMs)));
  const reasons = probes.flatMap((p) => serverReasons(p, baseline.failedUnits[p.server] ?? []));
  const verdict = { healthy: reasons.length === 0, reasons, ms: Date.now() - started };
  debug(env.ctx, `health gate: ${verdict.healthy ? 'healthy' : reasons.join('; ')} (${verdict.ms} ms)`);
  return verdict;
}
