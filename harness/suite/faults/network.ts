import { BadInputError } from '../../errors.js';
import type { RunningEnvironment } from '../../environment/environment.js';
import type { Server } from '../../environment/server.js';
import { applyFault, requireTools, type Fault } from './fault.js';

/** A server's own addresses, as it sees them. */
export async function addressesOf(server: Server): Promise<string[]> {
  const found = (await server.must('hostname -I')).split(/\s+/).filter(Boolean);
  if (!found.length) throw new BadInputError(`${server.name}: \`hostname -I\` names no address`);
  return found;
}

/** An nft rule matching `addrs` as the source (`saddr`) or destination (`daddr`), one per family. */
export function matchAddresses(dir: 'saddr' | 'daddr', addrs: string[]): string[] {
  const v4 = addrs.filter((a) => !a.includes(':'));
  const v6 = addrs.filter((a) => a.includes(':'));
  return [...(v4.length ? [`ip ${dir} { ${v4.join(', ')} }`] : []), ...(v6.length ? [`ip6 ${dir} { ${v6.join(', ')} }`] : [])];
}

/** One nft table per fault, so each fault's revert deletes only its own rules. */
export function nftTable(id: string, input: string[], output: string[], policy: 'accept' | 'drop' = 'accept'): string {
  const chain = (name: string, rules: string[]) =>
    `  chain ${name} {\n    type filter hook ${name} priority -10; policy ${policy};\n${rules.map((r) => `    ${r}\n`).join('')}  }\n`;
  return `table inet shakedown_${id} {\n${chain('input', input)}${chain('output', output)}}\n`;
}

async function nftFault(server: Server, what: string, table: (id: string) => string): Promise<Fault> {
  await requireTools(server, what, ['nft']);
  return applyFault(server, {
    what,
    apply: async (id) => void (await server.mustWithInput('nft -f -', table(id))),
    revert: async (id) => void (await server.must(`nft delete table inet shakedown_${id} 2>/dev/null || ! nft list table inet shakedown_${id} >/dev/null 2>&1`)),
  });
}

function notBastion(env: RunningEnvironment, server: Server, fault: string): void {
  if (server.name === env.bastion.name) throw new BadInputError(`cannot ${fault}: ${server.name} is the bastion, every server's SSH path (fault a server behind it)`);
}

/**
 * Cuts the network between two servers, both directions: each drops the other's addresses in its
 * own network namespace. Everything else, the bastion's SSH included, still flows.
 */
export async function cutNetwork(env: RunningEnvironment, a: Server, b: Server): Promise<Fault> {
  const what = `cut the network between ${a.name} and ${b.name}`;
  notBastion(env, a, what);
  notBastion(env, b, what);
  if (a.name === b.name) throw new BadInputError(`cannot ${what}: name two different servers`);
  const [aAddrs, bAddrs] = await Promise.all([addressesOf(a), addressesOf(b)]);
  const cut = (peer: string[]) => (id: string) => nftTable(id, matchAddresses('saddr', peer).map((m) => `${m} counter drop`), matchAddresses('daddr', peer).map((m) => `${m} counter drop`));
  const first = await nftFault(a, `cut the network to ${b.name}`, cut(bAddrs));
  try {
    const second = await nftFault(b, `cut the network to ${a.name}`, cut(aAddrs));
    const record = { ...first.record, what, server: `${a.name}, ${b.name}` };
    const revert = async () => {
      await Promise.all([first.revert(), second.revert()]);
      record.revertedAt = second.record.revertedAt;
    };
    return { record, revert };
  } catch (error) {
    await first.revert();
    throw error;
  }
}

/** Isolates a server from every peer; only loopback and the bastion (its SSH path) still reach it. */
export async function isolate(env: RunningEnvironment, server: Server): Promise<Fault> {
  const what = 'isolate from its peers';
  notBastion(env, server, what);
  const bastion = await addressesOf(env.bastion);
  return nftFault(server, what, (id) =>
    nftTable(id, ['iif lo accept', ...matchAddresses('saddr', bastion).map((m) => `${m} accept`)], ['oif lo accept', ...matchAddresses('daddr', bastion).map((m) => `${m} accept`)], 'drop'),
  );
}

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
