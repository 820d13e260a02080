import assert from 'node:assert/strict';
import type Dockerode from 'dockerode';
import { describe, it } from 'mocha';
import { Addresses } from '../../../../harness/provider/docker/addresses.js';

/** An engine's network API, just enough: it offers the first free subnet of its pool, refuses overlaps. */
function fakeEngine(pool: string[]) {
  const networks = new Map<string, string>();
  const calls: string[] = [];
  const docker = {
    async createNetwork(o: { Name: string; Internal?: boolean; IPAM?: { Config: { Subnet: string }[] } }) {
      const asked = o.IPAM?.Config[0]?.Subnet;
      const subnet = asked ?? pool.find((s) => ![...networks.values()].includes(s));
      if (!subnet) throw new Error('could not find an available, non-overlapping IPv4 address pool');
      if (asked && [...networks.values()].includes(asked)) throw new Error(`Pool overlaps with other one on this address space`);
      calls.push(`create ${o.Name}${o.Internal ? ' (internal)' : ''} on ${subnet}`);
      networks.set(o.Name, subnet);
      const gateway = subnet.replace(/0\/\d+$/, '1');
      return {
        inspect: async () => ({ IPAM: { Config: [{ Subnet: subnet, Gateway: gateway }] } }),
        remove: async () => void (calls.push(`remove ${o.Name}`), networks.delete(o.Name)),
      };
    },
  };
  return { docker: docker as unknown as Dockerode, calls, networks };
}

/** One launch on `pool`, then the next subnet learnt ahead, as the provider does; the engine's calls so far forgotten. */
async function afterOneLaunch(pool: string[]) {
  const engine = fakeEngine(pool);
  const addresses = new Addresses();
  await addresses.createNetwork(engine.docker, 'e1', 'sd-e1', {});
  await addresses.probeAhead(engine.docker, 'sd-e1', {});
  engine.calls.length = 0;
  return { engine, addresses };
}

describe('provider/docker/addresses: the subnet of a new network', () => {
  it('the first launch probes for a subnet (an internal network, removed) and creates its network on it', async () => {
    const engine = fakeEngine(['172.18.0.0/16', '172.19.0.0/16']);
    await new Addresses().createNetwork(engine.docker, 'e1', 'sd-e1', {});
    assert.deepEqual(engine.calls, ['create sd-e1-probe (internal) on 172.18.0.0/16', 'remove sd-e1-probe', 'create sd-e1 on 172.18.0.0/16']);
  });

  it('after a launch the next free subnet is learnt in the background, so the next launch has no probe on its path', async () => {
    const { engine, addresses } = await afterOneLaunch(['172.18.0.0/16', '172.19.0.0/16', '172.20.0.0/16']);
    await addresses.createNetwork(engine.docker, 'e2', 'sd-e2', {});
    assert.deepEqual(engine.calls, ['create sd-e2 on 172.19.0.0/16']);
    // Learnt once, used once: the launch after that probes again.
    engine.calls.length = 0;
    await addresses.createNetwork(engine.docker, 'e3', 'sd-e3', {});
    assert.deepEqual(engine.calls, ['create sd-e3-probe (internal) on 172.20.0.0/16', 'remove sd-e3-probe', 'create sd-e3 on 172.20.0.0/16']);
  });

  it('a learnt subnet another network took meanwhile is given up for a fresh probe', async () => {
    const { engine, addresses } = await afterOneLaunch(['172.18.0.0/16', '172.19.0.0/16', '172.20.0.0/16']);
    engine.networks.set('someone-else', '172.19.0.0/16');
    await addresses.createNetwork(engine.docker, 'e2', 'sd-e2', {});
    assert.deepEqual(engine.calls, ['create sd-e2-probe (internal) on 172.20.0.0/16', 'remove sd-e2-probe', 'create sd-e2 on 172.20.0.0/16']);
  });
});
