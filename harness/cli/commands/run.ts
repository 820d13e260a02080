import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { newRunId } from '../../environment/ids.js';
import { catalog } from '../../images/catalog.js';
import { sweep } from '../../janitor/janitor.js';
import { info } from '../../log.js';
import { admitCost } from '../../provider/aws/cost.js';
import { awsSettings, chooseProvider, providerOption } from '../../provider/choose.js';
import { checkInotifyRoom } from '../../provider/docker/host-limits.js';
import { planServers } from '../../environment/launch.js';
import { qualify } from '../../run/qualify.js';
import type { RunReport } from '../../run/results.js';
import type { Order } from '../../run/schedule.js';
import { writeReports } from '../../run/reports.js';
import { consoleProgress, runGate, runEvidence } from '../../run/wiring.js';
import { planUnits } from '../../suite/plan.js';
import { resolveSuites, setSuitesDir } from '../../suite/discover.js';
import { defaultTopology, loadTopology } from '../../topology/load.js';
import type { Topology } from '../../topology/schema.js';
import { checkSyntax } from '../../suite/syntax.js';
import { collect, durationOption, KEPT_TTL, parseDuration, RUN_TTL, wholeNumber } from '../options.js';

interface RunFlags {
  suite: string;
  suitesDir?: string;
  topology?: string;
  base?: string;
  defect: string[];
  junit?: string;
  json?: string;
  html?: string;
  results?: string;
  ttl: number;
  workers: number;
  retries: number;
  order: Order;
  keepOnFailure?: number | true;
  gate: boolean;
  launchConcurrency?: number;
  launchTries: number;
  provider?: string;
  maxInstances: number;
}

/** Every suite expanded and compiled, every topology validated, before anything is created. */
function planAll(f: RunFlags): { unit: ReturnType<typeof planUnits>[number]; topology: Topology }[] {
  setSuitesDir(f.suitesDir);
  const topologies = new Map<string, Topology>();
  const topologyOf = (name: string) => topologies.get(name) ?? topologies.set(name, loadTopology(name, catalog(), f.defect, f.base)).get(name)!;
  const units = resolveSuites(f.suite).flatMap(planUnits);
  checkSyntax([...new Set(units.flatMap((u) => u.steps.flatMap((s) => (s.kind === 'specs' ? s.files : []))))]);
  return units.map((unit) => ({ unit, topology: topologyOf(unit.topology ?? f.topology ?? defaultTopology()) }));
}

/** The servers of the widest topology the run needs: what each worker may hold at once. */
function widestOf(units: { topology: Topology }[]) {
  return units.map((u) => planServers(u.topology)).reduce((a, b) => (b.length > a.length ? b : a));
}

function printKept(r: RunReport): void {
  for (const k of r.kept) {
    process.stderr.write(`kept ${k.env} (failed unit ${k.unit}) until ${k.expires}; get onto its servers with:\n${k.commands.map((c) => `  ${c}\n`).join('')}`);
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run suites on parallel workers, each with its own environment; destroy everything at the end')
    .requiredOption('--suite <names>', 'suites to run: e.g. build, or build,reboot, or all')
    .option('--suites-dir <dir>', "folder of suites (default: the project's suites folder)")
    .option('--topology <name>', `topology in the project's stacks folder, or a path (default: the one named like the project)`)
    .option('--base <name>', "base image the role images were baked on (default: the project's first)")
    .option('--defect <name>', 'provision a known defect (repeatable)', collect, [])
    .option('-w, --workers <n>', 'parallel workers, each with its own environment', wholeNumber('--workers', 1, 16), 1)
    .option('--retries <n>', 're-run a failed unit on a fresh environment up to n times; a pass then is reported flaky', wholeNumber('--retries', 0, 5), 0)
    .addOption(new Option('--order <order>', 'longest: slowest first from the duration history; given: as listed').choices(['longest', 'given']).default('longest'))
    .option('--keep-on-failure [ttl]', `keep a failed unit's environment for debugging (default ${KEPT_TTL}), then the janitor removes it`, parseDuration)
    .option('--no-gate', 'skip the health gate after each unit (environments are reused even if broken)')
    .option('--launch-concurrency <n>', 'environments launched at once (default: min(workers, 2))', wholeNumber('--launch-concurrency', 1, 16))
    .option('--launch-tries <n>', 'launch attempts per environment before the worker gives up', wholeNumber('--launch-tries', 1, 10), 3)
    .option('--results <dir>', 'where report.json, junit.xml, report.html and evidence go (default: shakedown-results/<run>)')
    .option('--junit <file>', 'also write JUnit XML here')
    .option('--json <file>', 'also write JSON results here')
    .option('--html <file>', 'also write the HTML summary here')
    .addOption(durationOption('--ttl <duration>', 'objects expire after this even if the run is killed', RUN_TTL))
    .addOption(providerOption())
    .option('--max-instances <n>', 'on AWS: refuse a run that could have more instances at once', wholeNumber('--max-instances', 1, 1000), 20)
    .action(async (f: RunFlags) => {
      const keepOnFailureMs = f.keepOnFailure === true ? parseDuration(KEPT_TTL) : f.keepOnFailure;
      const units = planAll(f);
      const run = newRunId();
      const resultsDir = path.resolve(f.results ?? path.join('shakedown-results', run));
      const provider = await chooseProvider(f.provider);
      // On AWS, what the run may create and cost is shown, and bounded, before any call to AWS.
      if (provider.name === 'aws') admitCost(awsSettings(), widestOf(units), f.workers, f.maxInstances);
      // Every image of every topology is checked before the first container: a missing one creates nothing.
      const images = [...new Set(units.flatMap((u) => planServers(u.topology).map((s) => s.image)))];
      await provider.preflight(images);
      // Each worker holds one environment at a time; systemd in every server needs inotify instances.
      const widest = Math.max(...units.map((u) => planServers(u.topology).length));
      if (provider.name === 'docker') checkInotifyRoom(f.workers * widest, `--workers ${f.workers}`);
      await sweep(provider);
      mkdirSync(resultsDir, { recursive: true });
      const { report, exitCode } = await qualify({
        units,
        provider,
        run,
        ttlMs: f.ttl,
        workers: f.workers,
        retries: f.retries,
        order: f.order,
        keepOnFailureMs,
        launchConcurrency: f.launchConcurrency ?? Math.min(f.workers, 2),
        launchTries: f.launchTries,
        backoffMs: Number(process.env.SHAKEDOWN_LAUNCH_BACKOFF_MS ?? 2000),
        gate: f.gate ? runGate() : undefined,
        evidence: runEvidence(resultsDir),
        progress: consoleProgress(f.workers),
      });
      report.resultsDir = resultsDir;
      writeReports(report, resultsDir, { junit: f.junit, json: f.json, html: f.html });
      printKept(report);
      const shown = path.relative(process.cwd(), resultsDir);
      info({ run }, `results: ${shown.startsWith('..') ? resultsDir : shown}/report.html`);
      if (report.error && report.outcome !== 'interrupted') process.stderr.write(`shakedown: ${report.error}\n`);
      process.exitCode = exitCode;
    });
}
