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

export async function nftFault(server: Server, what: string, table: (id: string) => string): Promise<Fault> {
  await requireTools(server, what, ['nft']);
  return applyFault(server, {
    what,
    apply: async (id) => void (await server.mustWithInput('nft -f -', table(id))),
    revert: async (id) => void (await server.must(`nft delete table inet shakedown_${id} 2>/dev/null || ! nft list table inet shakedown_${id} >/dev/null 2>&1`)),
  });
}

export function notBastion(env: RunningEnvironment, server: Server, fault: string): void {
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
