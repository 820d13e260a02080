import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { describe, it } from 'mocha';
import { program } from '../../../harness/cli/main.js';

const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
const command = (path: string) => path.split(' ').reduce((c, name) => c.commands.find((x) => x.name() === name)!, program());
const option = (path: string, flag: string) => command(path).options.find((o) => o.long === flag)!;

describe('cli/main', () => {
  it('a duration flag shows its default as a duration in help, and still parses to milliseconds', () => {
    assert.match(command('run').helpInformation(), /--ttl <duration> +objects expire after this even if the run is\s+killed\s+\(default: 2h\)/);
    assert.match(command('env up').helpInformation(), /--ttl <duration> +the janitor removes it after this \(default: 4h\)/);
    assert.equal(option('run', '--ttl').defaultValue, 2 * 3_600_000);
    assert.equal(option('env up', '--ttl').defaultValue, 4 * 3_600_000);
  });

  it('no command shows a default in milliseconds', () => {
    for (const c of all(program())) assert.doesNotMatch(c.helpInformation(), /\(default: "?\d{4,}"?\)/, c.name());
  });
});
