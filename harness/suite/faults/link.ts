import { BadInputError } from '../../errors.js';
import type { RunningEnvironment } from '../../environment/environment.js';
import type { Server } from '../../environment/server.js';
import { applyFault, requireTools, type Fault } from './fault.js';
import { addressesOf, matchAddresses, nftFault, nftTable, notBastion } from './network.js';

/**
 * Drops `percent` of the packets a server exchanges with its peers (each way, at random);
 * loopback and the bastion, its SSH path, are spared.
 */
export async function addLoss(env: RunningEnvironment, server: Server, percent: number): Promise<Fault> {
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw new BadInputError(`addLoss: percent must be an integer from 1 to 100, got ${percent}`);
  const what = `lose ${percent}% of packets`;
  notBastion(env, server, what);
  const bastion = await addressesOf(env.bastion);
  const rules = (dir: 'iif' | 'oif', match: 'saddr' | 'daddr') => [
    `${dir} lo accept`,
    ...matchAddresses(match, bastion).map((m) => `${m} accept`),
    `numgen random mod 100 < ${percent} counter drop`,
  ];
  return nftFault(server, what, (id) => nftTable(id, rules('iif', 'saddr'), rules('oif', 'daddr')));
}

/** The interfaces a server's traffic leaves by: every link but loopback. */
async function links(server: Server): Promise<string[]> {
  const out = await server.must("ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1");
  return out.split('\n').map((l) => l.trim()).filter((l) => l && l !== 'lo');
}

/**
 * Delays every packet a server sends by `ms` (tc netem on each link but loopback). Needs the
 * kernel's sch_netem; the error says so when the kernel has none.
 */
export async function addLatency(server: Server, ms: number): Promise<Fault> {
  if (!Number.isInteger(ms) || ms < 1 || ms > 60_000) throw new BadInputError(`addLatency: ms must be an integer from 1 to 60000, got ${ms}`);
  const what = `delay packets by ${ms} ms`;
  await requireTools(server, what, ['tc']);
  const devs = await links(server);
  const del = (dev: string) => `tc qdisc del dev ${dev} root 2>/dev/null || true`;
  return applyFault(server, {
    what,
    apply: async () => {
      for (const dev of devs) {
        const r = await server.sudo(`tc qdisc add dev ${dev} root netem delay ${ms}ms`);
        if (r.ok) continue;
        const said = r.stderr.trim().split('\n')[0] ?? '';
        const hint = /unknown/i.test(said) ? ': the kernel has no sch_netem (netem qdisc), which this fault needs' : '';
        throw new BadInputError(`${server.name}: tc cannot add a netem qdisc on ${dev} (${said})${hint}`);
      }
    },
    revert: async () => void (await server.must(devs.map(del).join('; '))),
  });
}
