import { Option, type Command } from 'commander';
import { collect, durationOption, RUN_TTL, wholeNumber } from './options.js';

/**
 * The flags `run` and the pipelines share: what is launched and how the workers go about it.
 * `what` names the thing the TTL outlives in help ("run" or "pipeline").
 */
export function withWorkerFlags(c: Command, what: 'run' | 'pipeline'): Command {
  return c
    .option('--topology <name>', "topology in the project's stacks folder, or a path (default: the one named like the project)")
    .option('--base <name>', "base image the role images were baked on (default: the project's first)")
    .option('--defect <name>', 'provision a known defect (repeatable)', collect, [])
    .option('-w, --workers <n>', 'parallel workers, each with its own environment', wholeNumber('--workers', 1, 16), 1)
    .option('--retries <n>', `re-run a failed unit on a fresh environment up to n times; a pass then is reported flaky${what === 'pipeline' ? ', and fails the pipeline' : ''}`, wholeNumber('--retries', 0, 5), 0)
    .option('--repeat <n>', 'run each unit n times (fresh environments as usual); one that fails in any run fails, one that passes only some is reported flaky with its pass ratio', wholeNumber('--repeat', 1, 100), 1)
    .addOption(new Option('--order <order>', 'longest: slowest first from the duration history; given: as listed').choices(['longest', 'given']).default('longest'))
    .option('--no-gate', 'skip the health gate after each unit (environments are reused even if broken)')
    .option('--launch-concurrency <n>', 'environments launched at once (default: min(workers, 2))', wholeNumber('--launch-concurrency', 1, 16))
    .option('--launch-tries <n>', 'launch attempts per environment before the worker gives up', wholeNumber('--launch-tries', 1, 10), 3)
    .addOption(durationOption('--ttl <duration>', `objects expire after this even if the ${what} is killed`, RUN_TTL));
}
