import path from 'node:path';
import { Option, type Command } from 'commander';
import { info } from '../../log.js';
import type { RunReport } from '../../run/results.js';
import { MAX_INSTANCES, providerOption } from '../../provider/choose.js';
import { runSuites, type RunFlags } from '../../run/run-suites.js';
import { KEPT_TTL, parseDuration, wholeNumber } from '../options.js';
import { withWorkerFlags } from '../worker-options.js';

function printKept(r: RunReport): void {
  for (const k of r.kept) {
    process.stderr.write(`kept ${k.env} (failed unit ${k.unit}) until ${k.expires}; get onto its servers with:\n${k.commands.map((c) => `  ${c}\n`).join('')}`);
  }
}

export function registerRun(program: Command): void {
  const run = program
    .command('run')
    .description('run suites on parallel workers, each with its own environment; destroy everything at the end')
    .requiredOption('--suite <names>', 'suites to run: e.g. build, or build,reboot, or all')
    .option('--suites-dir <dir>', "folder of suites (default: the project's suites folder)")
    .addOption(new Option('--from <images>', 'prebuilt: role images; base: the base image, converged at launch over SSH; both: each suite both ways').choices(['prebuilt', 'base', 'both']).default('prebuilt'))
    .option('--ref <ref>', 'qualify the project as committed at this git ref: its suites, topologies, configuration code and images (built with images build --ref)')
    .option('--version <name>', "the project version plain suites launch at (default: the topology's, else the first)")
    .option('--channel <name>', 'launch prebuilt images of this channel (production, development, branch-NAME)')
    .option('--upgrade-from <channel>', "upgrade suites launch on this channel's images and version")
    .option('--upgrade-to <channel|ref>', "the upgrade's target: its ref's upgrade procedure, configuration code and suites");
  withWorkerFlags(run, 'run')
    .option('--keep-on-failure [ttl]', `keep a failed unit's environment for debugging (default ${KEPT_TTL}), then the janitor removes it`, parseDuration)
    .option('--results <dir>', 'where report.json, junit.xml, report.html and evidence go (default: shakedown-results/<run>)')
    .option('--junit <file>', 'also write JUnit XML here')
    .option('--json <file>', 'also write JSON results here')
    .option('--html <file>', 'also write the HTML summary here')
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
