import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it, after } from 'mocha';
import { foldersOfEnv, labelled, nothingLabelled, shakedown } from './cli.js';

describe('engine: env up, ssh, ls, down', function () {
  this.timeout(120_000);
  let id = '';
  let sshDir = '';
  after(async () => {
    if (id) await shakedown(['env', 'down', id]);
    if (sshDir) rmSync(sshDir, { recursive: true, force: true });
  });

  it('launches the default topology and reports its servers and timings', async () => {
    const r = await shakedown(['env', 'up', '--json', '--ttl', '15m']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    id = out.id;
    assert.match(id, /^e[0-9a-f]{8}$/);
    assert.deepEqual(out.servers.map((s: { name: string }) => s.name).sort(), ['bastion', 'db-1', 'lb-1', 'web-1', 'web-2']);
    assert.ok(out.timings.readyMs > 0);
    const objects = labelled(`shakedown.env=${id}`);
    assert.equal(objects.containers.length, 5);
    assert.equal(objects.networks.length, 1);
    // The database's two, and the run's key (filled on this host: the tests run as root beside the engine).
    assert.deepEqual(objects.volumes.sort(), [`sd-${id}-db-1-backups`, `sd-${id}-db-1-pgdata`, `sd-${id}.authorized-keys`]);
  });

  it('publishes only the bastion, on 127.0.0.1', async () => {
    const { execFileSync } = await import('node:child_process');
    const ports = execFileSync('docker', ['ps', '--filter', `label=shakedown.env=${id}`, '--format', '{{.Names}} {{.Ports}}'], { encoding: 'utf8' });
    const published = ports.split('\n').filter((l) => l.includes('->'));
    assert.equal(published.length, 1, ports);
    assert.match(published[0]!, /-bastion 127\.0\.0\.1:\d+->22\/tcp/);
  });

  it('prints an ssh -J command that really reaches a server through the bastion', async () => {
    const printed = await shakedown(['env', 'ssh', id, 'web-2']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^ssh -F \S+ssh_config -J bastion web-2\n$/);
    sshDir = path.dirname(printed.stdout.split(' ')[2]!);
    const keyFile = path.join(sshDir, 'id_ed25519');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, 'utf8'), /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const r = await shakedown(['env', 'ssh', '--exec', id, 'web-2', '--', 'hostname; sudo -n id -un']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'web-2\nroot\n');
  });

  it('refuses root and password logins on every server', async () => {
    const r = await shakedown(['env', 'ssh', '--exec', id, 'db-1', '--', 'sudo -n sshd -T | grep -E "^(permitrootlogin|passwordauthentication) "']);
    assert.equal(r.stdout, 'permitrootlogin no\npasswordauthentication no\n');
  });

  it('lists the environment, then destroys it and leaves nothing behind, not even the printed command\'s key', async () => {
    const ls = await shakedown(['env', 'ls', '--json']);
    assert.ok(JSON.parse(ls.stdout).some((e: { id: string }) => e.id === id));
    assert.ok(existsSync(sshDir), 'the printed ssh command needs its key until the environment goes');
    const down = await shakedown(['env', 'down', id]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(nothingLabelled(`shakedown.env=${id}`), undefined);
    assert.deepEqual(foldersOfEnv(id), [], 'env down left host folders of its volumes');
    assert.equal(existsSync(sshDir), false, `env down left ${sshDir}`);
    id = '';
  });
});
