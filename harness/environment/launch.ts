import { baseTag, roleTag } from '../images/catalog.js';
import { defectsFor } from '../project/index.js';
import { info, type LogContext } from '../log.js';
import type { Owner } from '../provider/labels.js';
import type { LaunchedServer, Provider, ServerSpec } from '../provider/provider.js';
import { generateRunKey, type KeyPair } from '../ssh/keys.js';
import type { Topology } from '../topology/schema.js';
import { serverNames } from '../topology/validate.js';
import { Connections, waitSettled } from './connect.js';
import { converge } from './converge.js';
import { RunningEnvironment, type EnvironmentRecord, type Timings } from './environment.js';
import { newEnvId } from './ids.js';
import type { Server } from './server.js';

export interface LaunchOptions {
  topology: Topology;
  provider: Provider;
  run: string;
  worker: number;
  /** Kept environments outlive this process until their TTL. */
  keep: boolean;
  ttlMs: number;
  key?: KeyPair;
  /** Called with the id before anything is created, so an interrupt can destroy a half-made environment. */
  onId?: (id: string) => void;
}

/** The servers a topology asks for, with their images resolved. */
export function planServers(topology: Topology): ServerSpec[] {
  return serverNames(topology).map(({ name, role }) => {
    const spec = topology.roles[role]!;
    const image = topology.from === 'base' ? baseTag(topology.base) : (topology.images?.[`${spec.image}:${topology.version}`] ?? roleTag(spec.image, topology.version, topology.base));
    return { name, role, image, volumes: spec.volumes, publish: spec.publish };
  });
}

function stopwatch() {
  const start = Date.now();
  let last = start;
  return {
    lap: () => {
      const now = Date.now();
      const elapsed = now - last;
      last = now;
      return elapsed;
    },
    total: () => Date.now() - start,
  };
}

/** Topology in, running environment out: preflight, create, connect, settle, converge. */
export async function launchEnvironment(o: LaunchOptions): Promise<RunningEnvironment> {
  const clock = stopwatch();
  const specs = planServers(o.topology);
  await o.provider.preflight(specs.map((s) => s.image));
  const preflightMs = clock.lap();
  const id = newEnvId();
  o.onId?.(id);
  const ctx: LogContext = { run: o.run, worker: o.worker, env: id };
  const key = o.key ?? generateRunKey(`shakedown-${o.run}`);
  const owner: Owner = { run: o.run, env: id, worker: o.worker, topology: o.topology.name, keep: o.keep, expires: new Date(Date.now() + o.ttlMs) };
  // Each server is connected to as soon as it is up, while the others still boot.
  const early = new Connections(o.topology.bastion, key, ctx);
  try {
    const launched = await o.provider.launch({ owner, servers: specs, authorizedKey: key.publicKey, ctx, onServer: (l) => early.add({ name: l.spec.name, ...l }) });
    const launchMs = clock.lap();
    const record = recordOf(owner, o, launched);
    const servers = await early.servers(record);
    const sshMs = clock.lap();
    const sshReadyMs = clock.total();
    await Promise.all(servers.map(waitSettled));
    const settleMs = clock.lap();
    await (o.topology.from === 'base' ? convergeAllFromBase(servers, o.topology, ctx) : convergeDefects(servers, o.topology));
    const convergeMs = clock.lap();
    const timings: Timings = { preflightMs, launchMs, sshMs, settleMs, convergeMs, sshReadyMs, readyMs: clock.total() };
    info(ctx, `ready in ${timings.readyMs} ms (${servers.length} servers)`);
    return new RunningEnvironment(record, o.topology, o.provider, owner, key, servers, timings, ctx);
  } catch (error) {
    // Closes every connection made, the servers' included.
    await early.abandon();
    await o.provider.destroy(id).catch(() => undefined);
    throw error;
  }
}

function recordOf(owner: Owner, o: LaunchOptions, launched: LaunchedServer[]): EnvironmentRecord {
  return {
    id: owner.env,
    run: owner.run,
    provider: o.provider.name,
    topology: o.topology.name,
    version: o.topology.version,
    base: o.topology.base,
    defects: o.topology.defects,
    keep: owner.keep,
    expires: owner.expires.toISOString(),
    bastion: o.topology.bastion,
    servers: launched.map((l) => ({ name: l.spec.name, role: l.spec.role, image: l.spec.image, address: l.address, hostKey: l.hostKey })),
  };
}

/**
 * A server launched from the base image becomes its role at launch, over SSH as a live server is
 * converged: the tool's packages, the configuration code, the converge command (defects included).
 */
export async function convergeFromBase(server: Server, topology: Topology, version = topology.version): Promise<void> {
  const role = topology.roles[server.role]!.image;
  await converge(server, { version, defects: defectsFor(topology.defects, role, version), role, install: true });
}

/**
 * Every server converged from the base image at once. A server whose converge needs a peer that is
 * still converging (a standby copying its primary, say) fails the first time; like a configuration
 * agent's next run, it gets one more converge once the others are done.
 */
async function convergeAllFromBase(servers: Server[], topology: Topology, ctx: LogContext): Promise<void> {
  const first = await Promise.allSettled(servers.map((s) => convergeFromBase(s, topology)));
  const again = servers.filter((_, i) => first[i]!.status === 'rejected');
  for (const s of again) info({ ...ctx, server: s.name }, `converging again after the others: ${(first[servers.indexOf(s)] as PromiseRejectedResult).reason?.message ?? ''}`);
  await Promise.all(again.map((s) => convergeFromBase(s, topology)));
}

/** Known defects are provisioned onto the roles they affect by converging those servers live. */
export async function convergeDefects(servers: Server[], topology: Topology): Promise<void> {
  if (!topology.defects.length) return;
  await Promise.all(
    servers.map((server) => {
      const mine = defectsFor(topology.defects, server.role, topology.version);
      return mine.length ? converge(server, { version: topology.version, defects: mine }) : undefined;
    }),
  );
}
