import { InfrastructureError, ShakedownError, TransportError } from '../errors.js';
import { info } from '../log.js';
import { convergeDefects, convergeFromBase, planServers } from './launch.js';
import { connectServers, reconnectServer, waitSettled } from './connect.js';
import type { RunningEnvironment } from './environment.js';
import type { Server } from './server.js';

const BOOT_DEADLINE_MS = 90_000;
/** One reconnect attempt; a server caught mid-shutdown must not hold the whole wait. */
const ATTEMPT_MS = 10_000;

export type RebootHow = 'guest' | 'provider';

export interface LifecycleReport {
  server: string;
  how: string;
  ms: number;
}

/** The marker the base image writes once per boot (containers share the host's boot_id). */
export async function bootMarker(server: Server): Promise<string> {
  return (await server.must('cat /run/boot-marker', { timeoutMs: 5000 })).trim();
}

async function consoleShowsBoot(env: RunningEnvironment, name: string, seen: number): Promise<void> {
  const deadline = Date.now() + BOOT_DEADLINE_MS;
  while ((await env.provider.consoleBoots(env.id, name)) <= seen) {
    if (Date.now() > deadline) throw new InfrastructureError(`${name}: its console showed no new boot within ${BOOT_DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Reboots a server, as an admin (`sudo systemctl reboot`) or from outside (the provider), and
 * waits until it is back: reachable, a new boot marker, systemd settled.
 */
export async function rebootServer(env: RunningEnvironment, name: string, how: RebootHow): Promise<LifecycleReport> {
  const started = Date.now();
  const before = await bootMarker(env.server(name));
  const boots = await env.provider.consoleBoots(env.id, name);
  if (how === 'guest') {
    await env.server(name).sudo('systemctl reboot', { timeoutMs: 5000 }).catch((e) => {
      if (!(e instanceof TransportError)) throw e;
    });
  } else {
    await env.provider.reboot(env.id, name);
  }
  // The console says when the new boot's sshd is up, so no attempt reaches the old one mid-shutdown.
  await consoleShowsBoot(env, name, boots);
  await comeBack(env, name, (marker) => marker !== before, `a new boot marker (was ${before})`);
  info({ ...env.ctx, server: name }, `rebooted (${how}) in ${Date.now() - started} ms`);
  return { server: name, how, ms: Date.now() - started };
}

/** Re-creates a server from its image with its volumes re-attached; learns its new host key out of band. */
export async function relaunchServer(env: RunningEnvironment, name: string): Promise<LifecycleReport> {
  const started = Date.now();
  // From the image of the version the environment runs now (an upgraded environment relaunches on the new images).
  const spec = planServers({ ...env.topology, version: env.record.version }).find((s) => s.name === name);
  if (!spec) throw new InfrastructureError(`environment ${env.id} has no server '${name}' to relaunch`);
  const launched = await env.provider.relaunch(env.id, { owner: env.owner, servers: [spec], authorizedKey: env.key.publicKey, ctx: env.ctx }, spec);
  const record = env.record.servers.find((s) => s.name === name)!;
  record.hostKey = launched.hostKey;
  record.address = launched.address;
  await comeBack(env, name, () => true, 'the relaunched server');
  // From the base image, a server is its role only once converged, as an instance relaunched with a converging user data.
  if (env.topology.from === 'base') await convergeFromBase(env.server(name), env.topology, env.record.version);
  // Launched like its first self (as an instance relaunched with the same user data): its defects provisioned again.
  else await convergeDefects([env.server(name)], { ...env.topology, version: env.record.version });
  info({ ...env.ctx, server: name }, `relaunched in ${Date.now() - started} ms`);
  return { server: name, how: 'relaunch', ms: Date.now() - started };
}

/** Reconnects a server (and, for the bastion, every server behind it) until `ok(marker)` holds. */
async function comeBack(env: RunningEnvironment, name: string, ok: (marker: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + BOOT_DEADLINE_MS;
  const spec = planServers(env.topology).find((s) => s.name === name)!;
  for (;;) {
    try {
      const record = env.record.servers.find((s) => s.name === name)!;
      record.address = await env.provider.address(env.id, spec);
      if (name === env.record.bastion) {
        const fresh = await connectServers(env.record, env.key, env.ctx, ATTEMPT_MS);
        fresh.forEach((s) => env.server(s.name).reconnected(s.ssh));
      } else {
        env.server(name).reconnected(await reconnectServer(env.record, name, env.key, env.bastion, env.ctx, ATTEMPT_MS));
      }
      const server = env.server(name);
      if (ok(await bootMarker(server))) {
        await waitSettled(server);
        return;
      }
    } catch (error) {
      if (!(error instanceof ShakedownError)) throw error;
      if (Date.now() > deadline) throw new InfrastructureError(`${name}: did not come back with ${what} within ${BOOT_DEADLINE_MS / 1000} s: ${(error as Error).message}`);
    }
    if (Date.now() > deadline) throw new InfrastructureError(`${name}: did not come back with ${what} within ${BOOT_DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
