import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'mocha';
import { finished, labelled, root, start } from './cli.js';

const fixture = (f: string) => path.join(root, 'test', 'fixtures', f);
const project = (p: string) => ['--project', fixture(path.join('projects', p))];

/**
 * What the CLI process `pid` created on the engine since `since` (seconds): what it left behind
 * (containers, networks, volumes carry its pid), and any container it created, even if removed
 * since. Scoped to that process, so other engine users running at the same time do not count.
 */
function createdBy(pid: number, since: number): string[] {
  const left = Object.values(labelled(`shakedown.pid=${pid}`)).flat();
  const events = execFileSync('docker', ['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', 'type=container', '--filter', 'event=create', '--filter', `label=shakedown.pid=${pid}`, '--format', '{{.Actor.Attributes.name}}'], { encoding: 'utf8' });
  return [...left, ...events.split('\n').filter(Boolean)];
}

/** Runs the CLI and checks: the exit code, one line on stderr naming the problem, and nothing created. */
async function rejects(args: string[], code: number, message: RegExp, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const child = start(args, env);
  const r = await finished(child);
  assert.equal(r.code, code, `exit code for ${args.join(' ')}: stderr ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got: ${r.stderr}`);
  assert.match(lines[0]!, message);
  assert.deepEqual(createdBy(child.pid!, since), [], 'objects were created');
}

describe('engine: bad input is refused before anything is created', function () {
  this.timeout(60_000);

  it('a topology with a count of 0: exit 2, names the field', () =>
    rejects(['run', '--suite', 'build', '--topology', fixture('count-zero.yml')], 2, /roles\.web\.count: must be at least 1/));

  it('an unknown topology: exit 2', () => rejects(['env', 'up', '--topology', 'nope'], 2, /topology 'nope' not found/));

  it('an unknown suite: exit 2, lists the known ones', () => rejects(['run', '--suite', 'nope'], 2, /unknown suite 'nope': use one of .*build/));

  it('an unknown defect: exit 2, names the flag', () => rejects(['run', '--suite', 'build', '--defect', 'nope'], 2, /^shakedown: --defect nope: unknown defect 'nope' \(known: [\w-]+(, [\w-]+)*\)$/));

  it('an unknown flag: exit 2', () => rejects(['run', '--suite', 'build', '--frobnicate'], 2, /unknown option '--frobnicate'/));

  it('a malformed duration: exit 2', () => rejects(['env', 'up', '--ttl', 'forever'], 2, /'forever' is not a duration/));

  it('a worker count of 0: exit 2, names the range', () => rejects(['run', '--suite', 'build', '--workers', '0'], 2, /--workers must be a whole number from 1 to 16, not '0'/));

  it('a repeat of 0 or not a whole number: exit 2, names the range', async () => {
    await rejects(['run', '--suite', 'build', '--repeat', '0'], 2, /--repeat must be a whole number from 1 to 100, not '0'/);
    await rejects(['run', '--suite', 'build', '--repeat', '2.5'], 2, /--repeat must be a whole number from 1 to 100, not '2\.5'/);
  });

  it('an unknown scheduling order: exit 2, lists the choices', () => rejects(['run', '--suite', 'build', '--order', 'random'], 2, /'random' is invalid\. Allowed choices are longest, given/));

  it('a malformed keep-on-failure TTL: exit 2', () => rejects(['run', '--suite', 'build', '--keep-on-failure', 'forever'], 2, /'forever' is not a duration/));

  it('a suites folder that does not exist: exit 2', () => rejects(['run', '--suite', 'build', '--suites-dir', 'nope'], 2, /--suites-dir nope: no such folder/));

  it('env down with neither id nor --all: exit 2', () => rejects(['env', 'down'], 2, /needs an environment id or --all/));

  it('env down of an environment that is not on the engine: exit 2, points to env ls', () =>
    rejects(['env', 'down', 'e00000000'], 2, /^shakedown: no environment 'e00000000' on the engine: see 'shakedown env ls'$/));

  it('env down of a malformed id: exit 2, points to env ls', () =>
    rejects(['env', 'down', 'nope'], 2, /^shakedown: no environment 'nope': an id is e and 8 hex digits; see 'shakedown env ls'$/));

  it('an image that was never built: exit 3, says how to build it', () =>
    rejects(['run', '--suite', 'idempotence', ...project('unbuilt')], 3, /image shakedown\/unbuilt\/\w+:current-debian-12 is missing: build it with 'npx shakedown images build'/));

  it('no project file here or above: exit 2, says to run init', () =>
    rejects(['run', '--suite', 'build', '--project', '/'], 2, /no shakedown\.yml in \/: run 'npx shakedown init' there, or pass --project DIR/));

  it('a project file that is not YAML: exit 2, names the file', () => rejects(['images', 'build', ...project('bad-yaml')], 2, /bad-yaml\/shakedown\.yml: not valid YAML/));

  it('a project file with an unknown key: exit 2, names it', () => rejects(['env', 'up', ...project('unknown-key')], 2, /unknown-key\/shakedown\.yml: unknown key 'convergence'/));

  it('an unknown converge tool: exit 2, names the key and the choices', () =>
    rejects(['run', '--suite', 'build', ...project('unknown-tool')], 2, /unknown-tool\/shakedown\.yml: converge\.changes: must be 'ansible', 'puppet' or \{ command: \.\.\. \}/));

  it('a converge source folder that is missing: exit 2, names the key', () =>
    rejects(['images', 'build', ...project('no-source')], 2, /no-source\/shakedown\.yml: converge\.source: no folder cookbooks/));

  it('a suite that does not compile: exit 2, names the file and line', () =>
    rejects(['run', '--suite', 'broken', ...project('bad-suite')], 2, /broken\/smoke\.spec\.ts:5:\d+: does not compile: /));

  it('the idempotence suite of a project that does not say how its tool reports changes: exit 2', () =>
    rejects(['run', '--suite', 'idempotence', ...project('bad-suite')], 2, /suite idempotence: .*has no converge\.changes/));

  it('an unknown base: exit 2, names the flag', () => rejects(['run', '--suite', 'build', '--base', 'debian-13'], 2, /--base debian-13: not a base of the project \(its bases: debian-12\)/));

  it('an unreachable Docker engine: exit 3, says how to start it', () =>
    rejects(['run', '--suite', 'build'], 3, /Docker engine unreachable at unix:\/\/\/nonexistent\/docker.sock/, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }));
});
