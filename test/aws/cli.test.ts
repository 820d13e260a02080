import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { packageRoot } from '../../harness/paths.js';

const AWS_SECTION = '\naws:\n  region: eu-west-1\n  sshCidr: 198.51.100.7/32\n  instanceTypes: { app: t3.small }\n';

/** The CLI in a child process; any AWS call would go to a closed loopback port and fail with exit 3. */
function shakedown(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'shakedown.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: --provider aws', function () {
  this.timeout(60_000);
  let dir: string;
  const project = (name: string, extra = '') => {
    const p = path.join(dir, name);
    cpSync(path.join(packageRoot, 'test', 'fixtures', 'projects', 'shelf'), p, { recursive: true });
    appendFileSync(path.join(p, 'shakedown.yml'), extra);
    return p;
  };
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'aws-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without an aws: section in the project file is one line naming the file and the fix, exit 2', () => {
    const p = project('plain');
    const r = shakedown(['--project', p, 'run', '--suite', 'build', '--provider', 'aws']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `shakedown: --provider aws: ${path.join(p, 'shakedown.yml')} has no aws: section; add at least aws: { region: eu-west-1, sshCidr: <your address>/32 } (see README 'Running on AWS')\n`);
  });

  it('prints what a run would create and cost, and refuses more instances than --max-instances before any AWS call', () => {
    const p = project('sized', AWS_SECTION);
    const r = shakedown(['--project', p, 'run', '--suite', 'build', '--provider', 'aws', '--workers', '8']);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'at most 8 environment(s) at once: 24 instances (8 × t3.micro, 16 × t3.small) with 8 GiB roots, 0 EBS volume(s) of 8 GiB, 8 public address(es)');
    assert.match(lines[1]!, /^cost: about \$0\.\d{3} per hour at AWS's published on-demand prices/);
    assert.equal(lines[2], 'shakedown: --workers 8 could run 24 instances at once (3 servers each), over --max-instances 20: run fewer workers or raise --max-instances');
    assert.equal(lines.length, 3);
  });

  it("takes the provider from the project file, and --max-instances from the flag", () => {
    const p = project('chosen', `${AWS_SECTION}provider: aws\n`);
    const r = shakedown(['--project', p, 'run', '--suite', 'build', '--workers', '2', '--max-instances', '5']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /shakedown: --workers 2 could run 6 instances at once \(3 servers each\), over --max-instances 5/);
  });

  it('within the bound, goes on to AWS: here a closed endpoint, named, exit 3', () => {
    const p = project('within', AWS_SECTION);
    const r = shakedown(['--project', p, 'run', '--suite', 'build', '--provider', 'aws']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /shakedown: cannot look up AMIs: .*the EC2 endpoint \(http:\/\/127\.0\.0\.1:9\) did not answer/);
  });

  it('env up prints what one environment creates and costs, then goes on to AWS', () => {
    const p = project('one', `${AWS_SECTION}  backend: file://${path.join(dir, 'backend')}\n`);
    const r = shakedown(['--project', p, 'env', 'up', '--provider', 'aws']);
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'at most 1 environment(s) at once: 3 instances (1 × t3.micro, 2 × t3.small) with 8 GiB roots, 0 EBS volume(s) of 8 GiB, 1 public address(es)');
    assert.match(lines.at(-1)!, /^shakedown: cannot list tagged \w+.*the EC2 endpoint \(http:\/\/127\.0\.0\.1:9\) did not answer/);
    // The stack listing that ran beside the failed EC2 one removed its work folder, kept beside the backend.
    assert.deepEqual(readdirSync(path.join(dir, 'backend-work')), []);
  });

  it('refuses an unknown provider and a zero bound as flags', () => {
    assert.equal(shakedown(['janitor', '--provider', 'gcp']).code, 2);
    assert.match(shakedown(['janitor', '--provider', 'gcp']).stderr, /Allowed choices are docker, aws/);
    assert.equal(shakedown(['--project', project('zero', AWS_SECTION), 'run', '--suite', 'build', '--max-instances', '0']).code, 2);
  });
});
