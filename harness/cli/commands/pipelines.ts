import path from 'node:path';
import { Option, type Command } from 'commander';
import type { PipelineReport } from '../../pipeline/report.js';
import { nightly, qualifyBranch, type PipelineOptions, type StageFlags } from '../../pipeline/pipeline.js';
import { collect, durationOption, RUN_TTL, wholeNumber } from '../options.js';

interface PipelineFlags extends Omit<StageFlags, 'keepOnFailureMs'> {
  results: string;
  keep: number;
}

/** The run flags a pipeline passes to each stage's run. */
function withRunFlags(c: Command): Command {
  return c
    .option('--topology <name>', 'topology for suites that name none (default: the one named like the project)')
    .option('--base <name>', "base image (default: the project's first)")
    .option('--defect <name>', 'provision a known defect in every stage (repeatable)', collect, [])
    .option('-w, --workers <n>', 'parallel workers, each with its own environment', wholeNumber('--workers', 1, 16), 1)
    .option('--retries <n>', 're-run a failed unit up to n times; a later pass is flaky, and a flaky stage fails the pipeline', wholeNumber('--retries', 0, 5), 0)
    .addOption(new Option('--order <order>', 'longest or given').choices(['longest', 'given']).default('longest'))
    .option('--no-gate', 'skip the health gate after each unit')
    .option('--launch-concurrency <n>', 'environments launched at once', wholeNumber('--launch-concurrency', 1, 16))
    .option('--launch-tries <n>', 'launch attempts per environment', wholeNumber('--launch-tries', 1, 10), 3)
    .option('--results <dir>', "where the pipeline's folder goes: its pipeline.html, pipeline.json and each stage's run report", 'shakedown-results')
    .option('--keep <n>', 'images kept per role, version and base, and per channel, by the prune stage', wholeNumber('--keep', 1, 1000), 3)
    .addOption(durationOption('--ttl <duration>', 'objects expire after this even if the pipeline is killed', RUN_TTL));
}

const optionsOf = ({ results, keep, ...flags }: PipelineFlags): PipelineOptions => ({ flags, resultsRoot: results, keep });

/** One line on stdout for whoever called the pipeline: the outcome and where the report is. */
function done(r: PipelineReport): void {
  const shown = path.relative(process.cwd(), r.dir);
  process.stdout.write(`${r.pipeline} ${r.name} ${r.outcome} in ${(r.ms / 1000).toFixed(1)} s (exit ${r.exitCode}): ${shown.startsWith('..') ? r.dir : shown}/pipeline.html\n`);
  process.exitCode = r.exitCode;
}

export function registerPipelines(program: Command): void {
  withRunFlags(
    program
      .command('nightly')
      .description("continuous imaging: build development's images, run every suite on prebuilt and base images, upgrade production to development, promote development if all passed, prune"),
  ).action(async (f: PipelineFlags) => done(await nightly(optionsOf(f))));
  withRunFlags(
    program
      .command('qualify')
      .description("release qualification: build a branch's images, every suite on prebuilt and base images, upgrades production → branch → development; promote branch-NAME if all passed")
      .requiredOption('--branch <name>', 'the release branch (its channel is branch-NAME)'),
  ).action(async (f: PipelineFlags & { branch: string }) => {
    const { branch, ...rest } = f;
    done(await qualifyBranch(branch, optionsOf(rest)));
  });
}
