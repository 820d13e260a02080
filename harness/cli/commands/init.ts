import path from 'node:path';
import { Option, type Command } from 'commander';
import { INIT_TOOLS, initProject, type InitTool } from '../../project/init.js';

/** What to type next; from another folder, `cd` there first. */
function nextSteps(dir: string): string[] {
  const rel = path.relative(process.cwd(), dir);
  return [...(rel ? [`cd ${rel.includes(' ') ? JSON.stringify(rel) : rel}`] : []), 'npx shakedown images build', 'npx shakedown run --suite build'];
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a starting project here (or into --project DIR): shakedown.yml, a topology, a build suite and a converge stub')
    .addOption(new Option('--config <tool>', 'the converge tool the stub is written for').choices(INIT_TOOLS).default('shell'))
    .action((o: { config: InitTool }, cmd: Command) => {
      const dir = path.resolve(cmd.optsWithGlobals<{ project?: string }>().project ?? '.');
      const { name, files } = initProject(dir, o.config);
      const shown = path.relative(process.cwd(), dir) || '.';
      process.stdout.write(`wrote the ${o.config} starting project '${name}' in ${shown}:\n${files.map((f) => `  ${f}\n`).join('')}`);
      process.stdout.write(`next:\n${nextSteps(dir).map((c) => `  ${c}\n`).join('')}`);
    });
}
