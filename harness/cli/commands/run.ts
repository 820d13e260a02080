import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { newRunId } from '../../environment/ids.js';
import { catalog } from '../../images/catalog.js';
import { sweep } from '../../janitor/janitor.js';
import { DockerProvider } from '../../provider/docker/docker-provider.js';
import { junitXml } from '../../report/junit.js';
import { qualify, type Group } from '../../run/qualify.js';
import { planUnit } from '../../suite/plan.js';
import { resolveSuites } from '../../suite/discover.js';
import { loadTopology } from '../../topology/load.js';
import { collect, DEFAULT_TOPOLOGY, parseDuration, RUN_TTL_MS } from '../options.js';

function write(file: string, content: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

/** Every suite expanded and every topology validated before anything is created. */
function planGroups(suites: string[], topologyName: string, defects: string[]): Group[] {
  const groups = new Map<string, Group>();
  for (const unit of suites.map(planUnit)) {
    const name = unit.topology ?? topologyName;
    if (!groups.has(name)) groups.set(name, { topology: loadTopology(name, catalog(), defects), units: [] });
    groups.get(name)!.units.push(unit);
  }
  return [...groups.values()];
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('launch an environment, run suites against it, destroy it')
    .requiredOption('--suite <names>', "suites to run: e.g. build, or build,reboot, or all")
    .option('--topology <name>', 'topology under stacks/, or a path', DEFAULT_TOPOLOGY)
    .option('--defect <name>', 'provision a known defect (repeatable)', collect, [])
    .option('--junit <file>', 'write JUnit XML here')
    .option('--json <file>', 'write JSON results here')
    .option('--ttl <duration>', 'objects expire after this even if the run is killed', parseDuration, RUN_TTL_MS)
    .action(async (o: { suite: string; topology: string; defect: string[]; junit?: string; json?: string; ttl: number }) => {
      const groups = planGroups(resolveSuites(o.suite), o.topology, o.defect);
      const provider = new DockerProvider();
      await sweep(provider);
      const { summary, exitCode } = await qualify({ groups, provider, run: newRunId(), ttlMs: o.ttl });
      if (o.junit) write(o.junit, junitXml(summary.suites, `shakedown ${summary.run}`));
      if (o.json) write(o.json, JSON.stringify(summary, null, 2) + '\n');
      if (summary.error) process.stderr.write(`shakedown: ${summary.error}\n`);
      process.exitCode = exitCode;
    });
}
