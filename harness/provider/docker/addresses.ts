import type Dockerode from 'dockerode';
import { InfrastructureError } from '../../errors.js';
import { dockerCall, isNotFound } from './engine.js';

/** Tries for a subnet of our own when another network takes the one the engine offered meanwhile. */
const SUBNET_TRIES = 5;

const toInt = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** A network's IPv4 subnet in CIDR form, and its gateway. */
export interface Subnet {
  cidr: string;
  gateway: string;
}

/**
 * The address after the highest one taken (the gateway counts as taken), so that a relaunched
 * server never gets back an address some server of the environment had, as on EC2. Throws when
 * the subnet is used up.
 */
export function nextAddress(subnet: Subnet, taken: readonly string[]): string {
  const [base, bits] = subnet.cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const first = toInt(base);
  const highest = Math.max(toInt(subnet.gateway), ...taken.map(toInt));
  const next = highest + 1;
  // The last address of a subnet is its broadcast address.
  if (next >= first + size - 1) throw new InfrastructureError(`subnet ${subnet.cidr} has no address left above ${toIp(highest)}; destroy the environment and launch again`);
  return toIp(next);
}

/**
 * Every server's address is chosen here, never by the engine's pool: Docker 20.10 hands a freed
 * address to the next container that starts, so a re-created server got its old address back and
 * a restarted one could take a neighbour's former address. An address given explicitly is kept
 * across restarts (a reboot keeps it, as on a cloud) and needs a subnet the network was created with.
 */
export class Addresses {
  /** Per environment: its subnet, and the highest address given out so far. */
  private readonly given = new Map<string, { subnet: Subnet; taken: string[] }>();

  /**
   * A subnet learnt by a probe after the last launch, so the next launch in this process has no
   * probe on its path (0.19 s measured here). Taken by one launch only; if another network took it
   * meanwhile the creation fails as overlapping and the launch probes as before.
   */
  private ahead?: Promise<Subnet | undefined>;

  /** Creates the environment's network on a subnet the engine picked as free, made explicitly ours. */
  async createNetwork(docker: Dockerode, env: string, name: string, Labels: Record<string, string>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      // Taken before awaiting it, so two launches at once cannot both take it.
      const ahead = attempt === 1 ? this.ahead : undefined;
      if (ahead) this.ahead = undefined;
      const learnt = await ahead;
      const offered = learnt ?? (await this.offeredSubnet(docker, name, Labels));
      try {
        await dockerCall(`create network ${name} on ${offered.cidr}`, () =>
          docker.createNetwork({ Name: name, Driver: 'bridge', Labels, CheckDuplicate: true, IPAM: { Driver: 'default', Config: [{ Subnet: offered.cidr, Gateway: offered.gateway }] } }),
        );
        this.given.set(env, { subnet: offered, taken: [] });
        return;
      } catch (error) {
        // Between our probe's removal and our creation another network may take the subnet.
        if (attempt >= SUBNET_TRIES || !/overlap/i.test((error as Error).message)) throw error;
      }
    }
  }

  /** Learns the next free subnet in the background (call once a launch's servers have started, off its path). */
  probeAhead(docker: Dockerode, name: string, Labels: Record<string, string>): Promise<unknown> {
    this.ahead ??= this.offeredSubnet(docker, name, Labels).catch(() => undefined);
    return this.ahead;
  }

  /**
   * A subnet the engine offers from its address pools: a probe network (labelled like the rest, so
   * a kill leaves nothing unswept), then removed. Internal, so it has no NAT rules to set up and
   * tear down: 0.25 s instead of 0.37 s, measured here with the removal, which is on every launch's path.
   */
  private async offeredSubnet(docker: Dockerode, name: string, Labels: Record<string, string>): Promise<Subnet> {
    const probe = await dockerCall(`create network ${name} (probe)`, () =>
      docker.createNetwork({ Name: `${name}-probe`, Driver: 'bridge', Internal: true, Labels, CheckDuplicate: true }),
    );
    try {
      return subnetOf(await dockerCall(`inspect network ${name}-probe`, () => probe.inspect()), `${name}-probe`);
    } finally {
      await dockerCall(`remove network ${name}-probe`, () => probe.remove());
    }
  }

  /** A fresh address for a server of `env`: above every address any of its servers has had in this process or has now. */
  async next(docker: Dockerode, env: string, network: string): Promise<string> {
    const known = this.given.get(env) ?? (await this.readBack(docker, network));
    this.given.set(env, known);
    const address = nextAddress(known.subnet, known.taken);
    known.taken = [address];
    return address;
  }

  /** Another process launched the environment: its network says which subnet and addresses are in use. */
  private async readBack(docker: Dockerode, network: string): Promise<{ subnet: Subnet; taken: string[] }> {
    const info = await dockerCall(`inspect network ${network}`, () => docker.getNetwork(network).inspect()).catch((e: unknown) => {
      throw isNotFound(e) ? new InfrastructureError(`network ${network} is gone: the environment was destroyed`) : e;
    });
    const taken = Object.values((info.Containers ?? {}) as Record<string, { IPv4Address?: string }>).map((c) => (c.IPv4Address ?? '').split('/')[0]!).filter(Boolean);
    return { subnet: subnetOf(info, network), taken };
  }

  forget(env: string): void {
    this.given.delete(env);
  }
}

function subnetOf(info: { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] } }, network: string): Subnet {
  const config = info.IPAM?.Config?.find((c) => c.Subnet && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c.Subnet));
  if (!config?.Subnet) throw new InfrastructureError(`network ${network} has no IPv4 subnet`);
  const gateway = config.Gateway ?? toIp(toInt(config.Subnet.split('/')[0]!) + 1);
  return { cidr: config.Subnet, gateway };
}
