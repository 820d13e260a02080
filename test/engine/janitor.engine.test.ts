import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { eventually, finished, labelled, nothingLabelled, shakedown, start } from './cli.js';

const ofPid = (pid: number) => `shakedown.pid=${pid}`;
const hasContainers = (pid: number) => (labelled(ofPid(pid)).containers.length > 0 ? true : undefined);

describe('engine: janitor and interrupts', function () {
  this.timeout(120_000);

  it('removes the objects of a run killed with SIGKILL', async () => {
    const child = start(['run', '--suite', 'build']);
    const done = finished(child);
    await eventually(() => hasContainers(child.pid!), 60_000, 'the run to create containers');
    child.kill('SIGKILL');
    await done;
    assert.notEqual(nothingLabelled(ofPid(child.pid!)), undefined, 'a killed run should have left objects behind');
    const r = await shakedown(['janitor']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`process ${child.pid} of run \\S+ is gone`));
    assert.equal(nothingLabelled(ofPid(child.pid!)), undefined);
  });

  it('leaves a live run alone; SIGINT then destroys what it launched and exits 130', async () => {
    const child = start(['run', '--suite', 'build']);
    const done = finished(child);
    await eventually(() => hasContainers(child.pid!), 60_000, 'the run to create containers');
    const r = await shakedown(['janitor']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(labelled(ofPid(child.pid!)).containers.length > 0, 'the janitor removed a live run');
    assert.match(r.stdout, new RegExp(`is live \\(pid ${child.pid}\\)`));
    child.kill('SIGINT');
    const exit = await done;
    assert.equal(exit.code, 130, exit.stderr);
    assert.equal(nothingLabelled(ofPid(child.pid!)), undefined);
  });
});
