import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { describe, it } from 'mocha';
import { makeSshDir } from '../../../harness/environment/ssh-dir.js';
import { listKept, saveKept } from '../../../harness/environment/state.js';
import { sweep, sweepBeforeLaunch } from '../../../harness/janitor/janitor.js';
import { LABEL } from '../../../harness/provider/labels.js';
import type { Leftover, Provider } from '../../../harness/provider/provider.js';
import { isolatedTmpdir } from '../isolated-tmpdir.js';
import { keptState } from '../environment/fixture.js';

const now = new Date('2030-01-01T12:00:00Z');
const past = '2030-01-01T11:00:00.000Z';
const future = '2030-01-01T13:00:00.000Z';

/** A container of environment `env`, made on this host by pid 4242 (live only if `alive` says so). */
const container = (env: string, expires: string, keep = false): Leftover => ({
  kind: 'container', id: env, name: `${env}-web-1`,
  labels: { [LABEL.run]: 'r1', [LABEL.env]: env, [LABEL.expires]: expires, [LABEL.keep]: String(keep), [LABEL.host]: os.hostname(), [LABEL.pid]: '4242', [LABEL.pidStart]: '777' },
});

/** A provider that only lists and removes. */
function engine(objects: Leftover[]): Provider & { removed: string[] } {
  const removed: string[] = [];
  return { removed, leftovers: async () => objects, remove: async (l: Leftover[]) => void removed.push(...l.map((x) => x.name)) } as unknown as Provider & { removed: string[] };
}

describe('janitor/janitor', () => {
  isolatedTmpdir();
  const liveOnly = (pid: number, start: string) => pid === 4242 && start === '777';

  it("removes env ssh's key folders with every environment it removes or forgets, and leaves a live one's", async () => {
    saveKept(keptState('e0000000a', past)); // kept, expired: removed and forgotten
    saveKept(keptState('e0000000f', future)); // kept, but nothing of it is on the engine any more: forgotten
    const dirs = { expired: makeSshDir('e0000000a'), gone: makeSshDir('e0000000f'), elsewhere: makeSshDir('e0000000b'), live: makeSshDir('e0000000c') };
    const provider = engine([container('e0000000a', past, true), container('e0000000b', past), container('e0000000c', future)]);
    const r = await sweep(provider, { now, alive: liveOnly });
    assert.deepEqual(provider.removed, ['e0000000a-web-1', 'e0000000b-web-1']);
    assert.deepEqual(r.kept.map((k) => k.name), ['e0000000c-web-1']);
    assert.deepEqual(listKept(), []);
    assert.deepEqual(Object.entries(dirs).filter(([, d]) => existsSync(d)).map(([k]) => k), ['live']);
  });

  it('a dry run removes no key folder', async () => {
    const dir = makeSshDir('e0000000d');
    await sweep(engine([container('e0000000d', past)]), { now, dryRun: true });
    assert.ok(existsSync(dir));
  });

  it('before a launch, an object the engine will not give up is said, and the launch goes on; a provider it cannot list stops it', async () => {
    const stuck = new Error('cannot remove network sd-e0000000e: Docker counts an endpoint on it that no container holds (an engine fault); restart the Docker engine to free it');
    const provider = { leftovers: async () => [container('e0000000e', past)], remove: async () => Promise.reject(stuck) } as unknown as Provider;
    await assert.rejects(sweep(provider, { now }), /cannot remove network/);
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => said.push(chunk) > 0) as typeof process.stderr.write;
    try {
      await sweepBeforeLaunch(provider);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(said, [`shakedown: the janitor could not remove everything earlier runs left (${stuck.message}); going on\n`]);
    // A provider it cannot list (an endpoint that does not answer) stops the launch.
    const unreachable = { leftovers: async () => Promise.reject(new Error('the EC2 endpoint did not answer')) } as unknown as Provider;
    await assert.rejects(sweepBeforeLaunch(unreachable), /did not answer/);
  });
});
