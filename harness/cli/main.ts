import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeOf, ShakedownError } from '../errors.js';
import { setLogLevel } from '../log.js';
import { chooseProject, PROJECT_FILE } from '../project/index.js';
import { cleanupDone, installSignalHandlers, interrupted } from './interrupt.js';
import { registerEnv } from './commands/env.js';
import { registerInit } from './commands/init.js';
import { registerImages } from './commands/images.js';
import { registerJanitor, registerSetup } from './commands/maintenance.js';
import { registerRun } from './commands/run.js';
import { registerPipelines } from './commands/pipelines.js';

/** The whole CLI, every command registered; parsing errors are thrown, not exited on. */
export function program(): Command {
  const p = new Command('shakedown')
    .description('System tests for infrastructure: isolated server sets from reference images, reached through a bastion.')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-v, --verbose', 'debug output on stderr')
    .option('--project <dir>', `the project: a folder with a ${PROJECT_FILE} (default: the nearest one from here upward)`)
    .exitOverride()
    .showSuggestionAfterError(true)
    .hook('preAction', (cmd) => {
      setLogLevel(cmd.opts());
      chooseProject(cmd.opts<{ project?: string }>().project);
    });
  registerInit(p);
  registerSetup(p);
  registerImages(p);
  registerEnv(p);
  registerRun(p);
  registerPipelines(p);
  registerJanitor(p);
  p.commands.forEach(function exitOverride(c: Command) {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  });
  return p;
}

/** Runs the CLI; every outcome leaves through one of the documented exit codes. */
export async function main(argv: string[]): Promise<number> {
  installSignalHandlers();
  const code = await dispatch(argv);
  if (!interrupted()) return code;
  // Whatever failed after a signal failed because of it: finish cleaning up, then report the interrupt.
  await cleanupDone();
  return EXIT.interrupted;
}

async function dispatch(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.passed;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return ok ? EXIT.passed : EXIT.badInput;
    }
    if (interrupted()) return EXIT.interrupted;
    const message = error instanceof ShakedownError ? error.message : `internal error: ${(error as Error).stack ?? error}`;
    process.stderr.write(`shakedown: ${message}\n`);
    return exitCodeOf(error);
  }
}
