import type { Command } from 'commander';
import { ADMIN_USER } from '../../environment/connect.js';
import { launchEnvironment, planServers } from '../../environment/launch.js';
import { isEnvId, newRunId } from '../../environment/ids.js';
import { forgetKept, listKept, loadKept, saveKept } from '../../environment/state.js';
import { catalog } from '../../images/catalog.js';
import { sweepBeforeLaunch } from '../../janitor/janitor.js';
import { info } from '../../log.js';
import { admitCost } from '../../provider/aws/cost.js';
import { awsSettings, chooseProvider, MAX_INSTANCES, providerOption } from '../../provider/choose.js';
import { LABEL, SEED_LABEL } from '../../provider/labels.js';
import type { Leftover } from '../../provider/provider.js';
import { defaultTopology, loadTopology } from '../../topology/load.js';
import { onInterrupt } from '../interrupt.js';
import { collect, durationOption, KEPT_TTL } from '../options.js';
import { execSsh, sshCommand } from './env-ssh.js';
import { BadInputError } from '../../errors.js';

export function registerEnv(program: Command): void {
  const env = program.command('env').description('launch, list, reach and destroy kept environments');

  env
    .command('up')
    .description('launch one environment and leave it running until `env down` or its TTL')
    .option('--topology <name>', `topology in the project's stacks folder, or a path (default: the one named like the project)`)
    .option('--base <name>', "base image the role images were baked on (default: the project's first)")
    .option('--defect <name>', 'provision a known defect (repeatable)', collect, [])
    .addOption(durationOption('--ttl <duration>', 'the janitor removes it after this', KEPT_TTL))
    .option('--json', 'print one JSON object')
    .addOption(providerOption())
    .action(async (o: { topology?: string; base?: string; defect: string[]; ttl: number; json?: boolean; provider?: string }) => {
      const topology = loadTopology(o.topology ?? defaultTopology(), catalog(), o.defect, o.base);
      const provider = await chooseProvider(o.provider);
      if (provider.name === 'aws') admitCost(awsSettings(), planServers(topology), 1, MAX_INSTANCES);
      await sweepBeforeLaunch(provider);
      let id: string | undefined;
      const off = onInterrupt(async () => id && provider.destroy(id));
      const run = newRunId();
      const e = await launchEnvironment({ topology, provider, run, worker: 0, keep: true, ttlMs: o.ttl, onId: (x) => (id = x) });
      saveKept({ record: e.record, key: e.key });
      e.servers().forEach((s) => s.ssh.close());
      off();
      const out = { id: e.id, run, topology: topology.name, expires: e.record.expires, servers: e.record.servers.map(({ name, role, image }) => ({ name, role, image })), timings: e.timings };
      if (o.json) return void process.stdout.write(JSON.stringify(out) + '\n');
      process.stdout.write(`environment ${e.id} (topology ${topology.name}) is up until ${e.record.expires}\n`);
      for (const s of out.servers) process.stdout.write(`  ${s.name.padEnd(10)} ${s.role.padEnd(8)} ${s.image}\n`);
      process.stdout.write(`timings (ms): ${Object.entries(e.timings).map(([k, v]) => `${k.replace(/Ms$/, '')} ${v}`).join(', ')}\n`);
      process.stdout.write(`reach a server: npx shakedown env ssh ${e.id} ${e.record.bastion}\n`);
    });

  env
    .command('ls')
    .description('list environments on the engine, kept or live')
    .option('--json', 'print JSON')
    .addOption(providerOption())
    .action(async (o: { json?: boolean; provider?: string }) => {
      const leftovers = await (await chooseProvider(o.provider)).leftovers();
      const kept = new Set(listKept());
      const envs = new Map<string, { id: string; run: string; topology: string; expires: string; keep: boolean; servers: string[]; reachable: boolean }>();
      for (const l of leftovers) {
        // An image build's containers belong to no environment.
        const id = l.labels[LABEL.env];
        if (!id) continue;
        const e = envs.get(id) ?? { id, run: l.labels[LABEL.run]!, topology: l.labels[LABEL.topology] ?? '?', expires: l.labels[LABEL.expires] ?? '?', keep: l.labels[LABEL.keep] === 'true', servers: [], reachable: kept.has(id) };
        if ((l.kind === 'container' && !l.labels[SEED_LABEL]) || l.kind === 'instance') e.servers.push(l.labels[LABEL.server] ?? l.name);
        envs.set(id, e);
      }
      const list = [...envs.values()];
      if (o.json) return void process.stdout.write(JSON.stringify(list) + '\n');
      if (!list.length) return void process.stdout.write('no environments\n');
      for (const e of list) {
        process.stdout.write(`${e.id}  ${e.topology.padEnd(10)} ${e.keep ? 'kept' : 'run '} until ${e.expires}  ${e.servers.sort().join(',')}\n`);
      }
    });

  env
    .command('down')
    .description('destroy an environment, or all of them')
    .argument('[id]', 'environment id (see env ls)')
    .option('--all', 'destroy every Shakedown environment on the engine')
    .addOption(providerOption())
    .action(async (id: string | undefined, o: { all?: boolean; provider?: string }) => {
      const provider = await chooseProvider(o.provider);
      for (const x of await envsToDestroy(id, !!o.all, () => provider.leftovers())) {
        await provider.destroy(x);
        forgetKept(x);
        info({ env: x }, 'destroyed');
      }
    });

  env
    .command('ssh')
    .description(`print (or with --exec, run) the ssh -J command that reaches a server as ${ADMIN_USER}`)
    .argument('<id>', 'environment id')
    .argument('<server>', 'server name, as env ls shows it')
    .argument('[command...]', 'with --exec: a command to run instead of a shell')
    .option('--exec', 'run it now, then remove the temporary key file')
    .action(async (id: string, server: string, remote: string[], o: { exec?: boolean }) => {
      const cmd = sshCommand(loadKept(id), server);
      if (!o.exec) return void process.stdout.write(`${cmd.text}\n`);
      const code = execSsh(cmd, remote);
      process.exitCode = code === 0 ? 0 : code === 255 ? 3 : 1;
    });
}

/** What `env down` destroys: every environment on the engine with --all, else the one named, which must be there. */
export async function envsToDestroy(id: string | undefined, all: boolean, leftovers: () => Promise<Leftover[]>): Promise<string[]> {
  if (!id === !all) throw new BadInputError('env down needs an environment id or --all, not both');
  if (id && !isEnvId(id)) throw new BadInputError(`no environment '${id}': an id is e and 8 hex digits; see 'shakedown env ls'`);
  const onEngine = [...new Set((await leftovers()).map((l) => l.labels[LABEL.env]).filter((x): x is string => !!x))];
  if (all) return onEngine;
  if (!onEngine.includes(id!)) throw new BadInputError(`no environment '${id}' on the engine: see 'shakedown env ls'`);
  return [id!];
}
