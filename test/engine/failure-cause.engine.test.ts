import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { RunningEnvironment } from '../../harness/environment/environment.js';
import type { Server } from '../../harness/environment/server.js';
import { launchEnvironment } from '../../harness/environment/launch.js';
import { converge } from '../../harness/environment/converge.js';
import { CommandFailedError, InfrastructureError } from '../../harness/errors.js';
import { catalog } from '../../harness/images/catalog.js';
import { DockerProvider } from '../../harness/provider/docker/docker-provider.js';
import { expectNoFailedUnits } from '../../harness/suite/checks/health.js';
import { expectService } from '../../harness/suite/checks/service.js';
import { loadTopology } from '../../harness/topology/load.js';
import { root } from './cli.js';

/** A service that refuses its configuration at each start, as a daemon does; with `restart`, systemd starts it again after 10 min. */
const brokenUnit = (name: string, restart: boolean) => `[Unit]
Description=Refuses its configuration
StartLimitIntervalSec=0
[Service]
Type=${restart ? 'simple' : 'oneshot'}
ExecStart=/bin/sh -c 'echo "${name}: unknown directive listn in /etc/${name}.conf:3" >&2; exit 1'
Restart=${restart ? 'always' : 'no'}
RestartSec=600
`;

describe('engine: failures carry their cause', function () {
  this.timeout(180_000);
  let env: RunningEnvironment;
  let web: Server;

  before(async () => {
    const topology = loadTopology(path.join(root, 'test', 'fixtures', 'small.yml'), catalog());
    env = await launchEnvironment({ topology, provider: new DockerProvider(), run: 'rtest-cause', worker: 0, keep: false, ttlMs: 600_000 });
    web = env.servers('web')[0]!;
    await web.put('/etc/systemd/system/refuses.service', brokenUnit('refuses', true));
    await web.put('/etc/systemd/system/refuses-once.service', brokenUnit('refuses-once', false));
    await web.must('systemctl daemon-reload');
    // Dies at once and waits 10 min in auto-restart: stuck restarting, never listed as failed.
    await web.must('systemctl start refuses');
  });
  after(() => env?.destroy());

  it("a failed systemctl command quotes the service's own journal lines", async () => {
    const failed = await web.must('systemctl start refuses-once').then(() => undefined, (e: unknown) => e);
    assert.ok(failed instanceof CommandFailedError, String(failed));
    assert.match(failed.message, /^web-1: `systemctl start refuses-once` exited 1: Job for refuses-once\.service failed/);
    assert.match(failed.message, / — refuses-once's journal: .*refuses-once: unknown directive listn in \/etc\/refuses-once\.conf:3/);
  });

  it("a service check on a unit that is not running quotes its journal", async () => {
    await assert.rejects(expectService(web, 'refuses'), /service refuses: is (activating|failed|inactive), expected active; .*its journal: .*unknown directive listn in/);
  });

  it('no failed units fails a unit stuck restarting (auto-restart), though systemd does not list it as failed', async () => {
    await web.must('systemctl reset-failed refuses-once');
    const failed = await web.sh('systemctl --failed --no-legend --plain');
    assert.equal(failed.stdout.trim(), '');
    await assert.rejects(expectNoFailedUnits(web), /failed units: refuses\.service is restarting \(activating, auto-restart\)/);
  });

  it("a converge failing on a handler names the task and quotes the service's journal (a production server carrying more than a fresh one)", async function () {
    this.timeout(600_000);
    // An old hand-made nginx file the fresh image never had, and a site edited by hand so the converge rewrites it and reloads.
    await web.put('/etc/nginx/conf.d/zz-legacy.conf', 'listn 8080;\n');
    await web.must("echo '# edited by hand' >> /etc/nginx/sites-available/platform");
    const failed = await converge(web, { version: env.record.version, defects: [] }).then(() => undefined, (e: unknown) => e);
    assert.ok(failed instanceof InfrastructureError, String(failed));
    assert.match(failed.message, /^web-1: converging role web with '\.\/apply\.sh' failed \(exit 2\) at task \[web : Reload nginx\]: Unable to reload service nginx: /);
    assert.match(failed.message, / — nginx's journal: .*\[emerg\] .*unknown directive "listn" in \/etc\/nginx\/conf\.d\/zz-legacy\.conf:1/);
    assert.equal(failed.message.split('\n').length, 1);
  });
});
