import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'mocha';
import { existsSync } from 'node:fs';
import { HOST_VOLUMES, hostFolder } from '../../harness/provider/docker/volume-fill.js';
import { foldersOfEnv, shakedown } from './cli.js';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
/** Every folder under `dir` with its owner and mode, as `find` in `where` prints them. */
const folders = (where: string[], dir: string) => execFileSync(where[0]!, [...where.slice(1), 'find', dir, '-type', 'd', '-printf', '%P %U:%G %m\\n'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();

describe('engine: volumes filled on this host, the key mounted from one, and the fill left to Docker', function () {
  this.timeout(180_000);
  const ids: string[] = [];
  after(async () => {
    for (const id of ids) await shakedown(['env', 'down', id]);
  });

  async function up(env: NodeJS.ProcessEnv = {}): Promise<{ id: string; dbImage: string }> {
    const r = await shakedown(['env', 'up', '--json', '--ttl', '15m'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { id: string; servers: { name: string; image: string }[] };
    ids.push(out.id);
    return { id: out.id, dbImage: out.servers.find((s) => s.name === 'db-1')!.image };
  }

  const mountOf = (id: string, target: string) =>
    (JSON.parse(docker('inspect', `sd-${id}-db-1`, '--format', '{{json .Mounts}}')) as { Name?: string; Destination: string; RW: boolean }[]).find((m) => m.Destination === target);

  it("binds the database's volume to a host folder holding its image's files, with their owners and modes, and the key read-only; env down removes the folders", async () => {
    // Unmarked first: the launch marks the folders' root a top directory again (ext4 spreads the folders).
    if (existsSync(HOST_VOLUMES)) execFileSync('chattr', ['-T', HOST_VOLUMES]);
    const { id, dbImage } = await up();
    assert.match(execFileSync('lsattr', ['-d', HOST_VOLUMES], { encoding: 'utf8' }).split(' ')[0]!, /T/, 'the root of the folders is a top directory');
    const pgdata = `sd-${id}-db-1-pgdata`;
    assert.deepEqual(JSON.parse(docker('volume', 'inspect', pgdata, '--format', '{{json .Options}}')), { type: 'none', o: 'bind', device: hostFolder(pgdata) });
    const inImage = folders(['docker', 'run', '--rm', '--network', 'none', '--entrypoint', 'env', dbImage], '/var/lib/postgresql');
    assert.ok(inImage.length > 10, `the image has ${inImage.length} folders under /var/lib/postgresql`);
    assert.deepEqual(folders(['env'], hostFolder(pgdata)), inImage);
    const keys = mountOf(id, '/etc/ssh/authorized_keys');
    assert.equal(keys?.Name, `sd-${id}.authorized-keys`);
    assert.equal(keys?.RW, false);
    const down = await shakedown(['env', 'down', id]);
    assert.equal(down.code, 0, down.stderr);
    ids.splice(ids.indexOf(id), 1);
    assert.deepEqual(foldersOfEnv(id), []);
  });

  it('leaves the fill to Docker, and copies the key in, with SHAKEDOWN_VOLUME_FILL=engine', async () => {
    const { id } = await up({ SHAKEDOWN_VOLUME_FILL: 'engine' });
    const pgdata = `sd-${id}-db-1-pgdata`;
    assert.ok(['null', '{}'].includes(docker('volume', 'inspect', pgdata, '--format', '{{json .Options}}')), 'the volume is a bind');
    assert.equal(mountOf(id, '/etc/ssh/authorized_keys'), undefined);
    assert.deepEqual(foldersOfEnv(id), []);
    const psql = await shakedown(['env', 'ssh', id, 'db-1', '--exec', "sudo -u postgres psql -tAc 'select count(*) > 0 from pg_database'"]);
    assert.equal(psql.stdout.trim(), 't', psql.stderr);
  });
});
