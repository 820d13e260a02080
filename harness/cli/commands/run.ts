import path from 'node:path';
import { Option, type Command } from 'commander';
import { info } from '../../log.js';
import type { RunReport } from '../../run/results.js';
import { MAX_INSTANCES, providerOption } from '../../provider/choose.js';
import { runSuites, type RunFlags } from '../../run/run-suites.js';
import { collect, durationOption, KEPT_TTL, parseDuration, RUN_TTL, wholeNumber } from '../options.js';

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
    .addOption(new Option('--from <images>', 'prebuilt: role images; base: the base image, converged at launch over SSH; both: each suite both ways').choices(['prebuilt', 'base', 'both']).default('prebuilt'))
    .option('--ref <ref>', 'qualify the project as committed at this git ref: its suites, topologies, configuration code and images (built with images build --ref)')
    .option('--version <name>', "the project version plain suites launch at (default: the topology's, else the first)")
    .option('--channel <name>', 'launch prebuilt images of this channel (production, development, branch-NAME)')
    .option('--upgrade-from <channel>', "upgrade suites launch on this channel's images and version")
    .option('--upgrade-to <channel|ref>', "the upgrade's target: its ref's upgrade procedure, configuration code and suites")
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
    .option('--max-instances <n>', 'on AWS: refuse a run that could have more instances at once', wholeNumber('--max-instances', 1, 1000), MAX_INSTANCES)
    .action(async (f: Omit<RunFlags, 'keepOnFailureMs'> & { keepOnFailure?: number | true }) => {
      const keepOnFailureMs = f.keepOnFailure === true ? parseDuration(KEPT_TTL) : f.keepOnFailure;
      const { report, exitCode, resultsDir } = await runSuites({ ...f, keepOnFailureMs });
      printKept(report);
      const shown = path.relative(process.cwd(), resultsDir);
      info({ run: report.run }, `results: ${shown.startsWith('..') ? resultsDir : shown}/report.html`);
      if (report.error && report.outcome !== 'interrupted') process.stderr.write(`shakedown: ${report.error}\n`);
      process.exitCode = exitCode;
    });
}
