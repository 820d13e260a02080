import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { RunningEnvironment } from '../../harness/environment/environment.js';
import { launchEnvironment } from '../../harness/environment/launch.js';
import type { Server } from '../../harness/environment/server.js';
import { BadInputError } from '../../harness/errors.js';
import { catalog } from '../../harness/images/catalog.js';
import { DockerProvider } from '../../harness/provider/docker/docker-provider.js';
import { checkHealth, healthBaseline, type HealthBaseline } from '../../harness/run/health.js';
import { setSuitesDir } from '../../harness/suite/discover.js';
import type { Fault } from '../../harness/suite/faults/fault.js';
import { addLatency, addLoss } from '../../harness/suite/faults/link.js';
import { addressesOf, cutNetwork, isolate } from '../../harness/suite/faults/network.js';
import { fillFilesystem } from '../../harness/suite/faults/filesystem.js';
import { breakResolution } from '../../harness/suite/faults/resolution.js';
import { freezeService, stopService } from '../../harness/suite/faults/service.js';
import { planUnit } from '../../harness/suite/plan.js';
import { runUnit } from '../../harness/suite/runner.js';
import { loadTopology } from '../../harness/topology/load.js';
import { root } from './cli.js';

const RUN = 'rtest-faults';

/** The HTTP status `from` gets from port 80 of `to`'s first address, '000' when nothing answers within 3 s. */
async function httpCode(from: Server, to: Server): Promise<string> {
  const [addr] = await addressesOf(to);
  return (await from.sh(`curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://${addr}/`)).stdout.trim();
}

const reaches = async (from: Server, to: Server) => (await httpCode(from, to)) !== '000';

describe('engine: the fault library', function () {
  this.timeout(180_000);
  let env: RunningEnvironment;
  let baseline: HealthBaseline;
  let web1: Server;
  let web2: Server;
  let bastion: Server;

  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'faults.yml'), catalog());
    env = await launchEnvironment({ topology, provider: new DockerProvider(), run: RUN, worker: 0, keep: false, ttlMs: 900_000 });
    baseline = await healthBaseline(env);
    [web1, web2, bastion] = [env.server('web-1'), env.server('web-2'), env.bastion];
  });
  after(() => env?.destroy());

  /** Applies a fault, checks what it did and that the gate calls the environment broken, reverts, and checks it is undone. */
  async function appliedAndReverted(apply: () => Promise<Fault>, during: () => Promise<void>, undone: () => Promise<void>, gateSays: RegExp): Promise<void> {
    const fault = await apply();
    await during();
    const verdict = await checkHealth(env, baseline);
    assert.equal(verdict.healthy, false);
    assert.ok(verdict.reasons.some((r) => gateSays.test(r)), `no reason matches ${gateSays}: ${verdict.reasons.join('; ')}`);
    await fault.revert();
    assert.ok(fault.record.revertedAt, 'the record says when it was reverted');
    await undone();
    assert.deepEqual((await checkHealth(env, baseline)).reasons, []);
  }

  it('starts healthy, each server reaching the other', async () => {
    assert.deepEqual((await checkHealth(env, baseline)).reasons, []);
    assert.ok(await reaches(web1, web2));
    assert.ok(await reaches(web2, web1));
  });

  it('stops one service and leaves the rest running; revert starts it', () =>
    appliedAndReverted(
      () => stopService(web1, 'nginx'),
      async () => {
        assert.equal((await web1.sudo('systemctl is-active nginx')).stdout.trim(), 'inactive');
        assert.equal((await web1.sudo('systemctl is-active php8.2-fpm')).stdout.trim(), 'active');
      },
      async () => assert.equal((await web1.sudo('systemctl is-active nginx')).stdout.trim(), 'active'),
      /^web-1: fault 'stop nginx' left in place \(applied \d{4}-.+Z\)$/,
    ));

  it('freezes a service (its processes stopped, nothing answers) and thaws it', () =>
    appliedAndReverted(
      () => freezeService(web1, 'nginx'),
      async () => {
        const states = (await web1.must('ps -o stat= -C nginx')).split('\n').filter(Boolean);
        assert.ok(states.length > 0 && states.every((s) => s.startsWith('T')), `nginx processes: ${states.join(',')}`);
        assert.equal(await httpCode(bastion, web1), '000');
      },
      async () => assert.notEqual(await httpCode(bastion, web1), '000'),
      /^web-1: fault 'freeze nginx' left in place/,
    ));

  it('cuts the network between two servers both ways, the bastion still reaching both', () =>
    appliedAndReverted(
      () => cutNetwork(env, web1, web2),
      async () => {
        assert.equal(await reaches(web1, web2), false);
        assert.equal(await reaches(web2, web1), false);
        assert.ok(await reaches(bastion, web1));
        assert.ok((await web2.sh('true')).ok);
      },
      async () => {
        assert.ok(await reaches(web1, web2));
        assert.ok(await reaches(web2, web1));
      },
      /^web-2: fault 'cut the network to web-1' left in place/,
    ));

  it('isolates a server from its peers; the bastion still reaches it over SSH and HTTP', () =>
    appliedAndReverted(
      () => isolate(env, web1),
      async () => {
        assert.equal(await reaches(web1, web2), false);
        assert.equal(await reaches(web2, web1), false);
        assert.ok(await reaches(bastion, web1));
      },
      async () => assert.ok(await reaches(web2, web1)),
      /^web-1: fault 'isolate from its peers' left in place/,
    ));

  it('refuses to cut or isolate the bastion', async () => {
    await assert.rejects(() => isolate(env, bastion), /cannot isolate from its peers: bastion is the bastion/);
    await assert.rejects(() => cutNetwork(env, web1, bastion), BadInputError);
  });

  it('drops packets at random both ways (the rule counts what it dropped)', () =>
    appliedAndReverted(
      () => addLoss(env, web1, 50),
      async () => {
        for (let i = 0; i < 5; i++) await httpCode(web2, web1);
        assert.ok(await reaches(bastion, web1), 'the bastion is spared');
        const counted = [...(await web1.must('nft list ruleset')).matchAll(/numgen random mod 100 < 50 counter packets (\d+)/g)].map((m) => Number(m[1]));
        assert.equal(counted.length, 2);
        assert.ok(counted.some((n) => n > 0), `no packet dropped: ${counted.join(', ')}`);
      },
      async () => assert.doesNotMatch(await web1.must('nft list ruleset'), /numgen/),
      /^web-1: fault 'lose 50% of packets' left in place/,
    ));

  it('delays packets with netem, or says the kernel has no sch_netem and leaves nothing behind', async () => {
    let fault: Fault;
    try {
      fault = await addLatency(web1, 200);
    } catch (error) {
      assert.ok(error instanceof BadInputError, String(error));
      assert.match(error.message, /^web-1: tc cannot add a netem qdisc on eth0 \(.+\): the kernel has no sch_netem/);
      assert.deepEqual((await checkHealth(env, baseline)).reasons, []);
      return;
    }
    assert.match(await web1.must('tc qdisc show'), /netem .*delay 200ms/);
    await fault.revert();
    assert.doesNotMatch(await web1.must('tc qdisc show'), /netem/);
  });

  it('fills a file system and frees it', () =>
    appliedAndReverted(
      () => fillFilesystem(web1, '/run'),
      async () => assert.equal((await web1.must('df --output=pcent /run | tail -n 1')).trim(), '100%'),
      async () => assert.doesNotMatch(await web1.must('ls -a /run'), /shakedown-fill/),
      /^web-1: \/run is 100% full$/,
    ));

  it("breaks a server's name resolution, sudo still working, and mends it", () =>
    appliedAndReverted(
      () => breakResolution(web1),
      async () => {
        assert.equal((await web1.sudo('getent hosts web-2')).code, 2);
        assert.ok((await web1.sudo('true')).ok);
      },
      async () => assert.ok((await web1.sudo('getent hosts web-2')).ok),
      /^web-1: fault 'break name resolution' left in place/,
    ));

  describe('through suites', () => {
    before(() => setSuitesDir(path.join('test', 'fixtures', 'suites')));
    after(() => setSuitesDir(undefined));
    const unit = (name: string) => runUnit(planUnit(name), env, { reporter: 'base' });

    it('a unit that reverts its faults leaves a healthy environment, and its report lists them reverted', async () => {
      const run = await unit('reverts-faults');
      assert.deepEqual(run.results.flatMap((r) => r.tests).map((t) => t.state), ['passed', 'passed']);
      assert.deepEqual(run.faults?.map((f) => [f.server, f.what, typeof f.revertedAt]), [['web-1', 'stop nginx', 'string'], ['web-2', 'fill the file system of /run', 'string']]);
      assert.deepEqual((await checkHealth(env, baseline)).reasons, []);
    });

    it('a fault left in place by a unit makes the gate call the environment broken', async () => {
      const run = await unit('leaves-fault');
      assert.deepEqual(run.faults?.map((f) => [f.server, f.what, f.revertedAt]), [['web-1', 'stop nginx', undefined]]);
      const verdict = await checkHealth(env, baseline);
      assert.equal(verdict.healthy, false);
      assert.match(verdict.reasons.join('\n'), /^web-1: fault 'stop nginx' left in place \(applied .+\)$/m);
    });
  });
});
