import { launchEnvironment, planServers } from '../harness/environment/launch.js';
import { catalog } from '../harness/images/catalog.js';
import { setLogLevel } from '../harness/log.js';
import { DockerProvider } from '../harness/provider/docker/docker-provider.js';
import { loadTopology } from '../harness/topology/load.js';
import { benchAwsStacks } from './aws-stacks.js';
import { benchCatchRate } from './catch-rate.js';
import { benchLifecycle } from './lifecycle.js';
import { benchBaseVersusPrebuilt, benchNightly, benchNoChangeBuild, benchOneRoleChange } from './imaging.js';
import { benchReplacement, benchSkew, benchWorkers } from './workers.js';
import { rawLaunch, stopRawLaunches } from './raw-testcontainers.js';
import { benchVolumeFill } from './volume-fill.js';
import { emit, summarize } from './stats.js';
import { benchEnv, cleanUpOnSignal } from './interrupt.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 200);

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
setLogLevel({ quiet: true });
const topology = loadTopology('platform', catalog());
const provider = new DockerProvider();
cleanUpOnSignal(provider, stopRawLaunches);

const ready: number[] = [];
const sshReady: number[] = [];
const destroy: number[] = [];
let perCommand: number[] = [];
/** BENCH_PARTS=env,raw,fill,lifecycle,workers,imaging,base,nightly (the default: all) picks the figures to measure; aws and catch-rate only when named. */
const parts = new Set((process.env.BENCH_PARTS ?? 'env,raw,fill,lifecycle,workers,imaging,base,nightly').split(','));
for (let i = 0; i < RUNS && parts.has('env'); i++) {
  const env = await launchEnvironment({ topology, provider, run: 'bench', worker: 0, keep: false, ttlMs: 600_000, onId: benchEnv });
  ready.push(env.timings.readyMs);
  sshReady.push(env.timings.sshReadyMs);
  if (i === 0) {
    const web = env.server('web-1');
    await web.sudo('true');
    for (let c = 0; c < COMMANDS; c++) {
      const t = process.hrtime.bigint();
      await web.sudo('true');
      perCommand.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  destroy.push((await env.destroy()).destroyMs);
}
if (parts.has('env')) {
  emit('environment SSH-ready (default topology, 5 servers: every server accepts the key via the bastion)', 'ms', summarize(sshReady), { target: 'p50 <= 2500' });
  emit('environment ready (SSH-ready and systemd settled on every server)', 'ms', summarize(ready));
  emit("per-command sudo('true') via bastion, connection reused", 'ms', summarize(perCommand), { target: 'p50 <= 50' });
  emit('environment destroy', 'ms', summarize(destroy), { target: '<= 3000' });
}

const images = planServers(topology).map((s) => s.image);
const raw: number[] = [];
const rawDestroy: number[] = [];
for (let i = 0; i < RUNS && parts.has('raw'); i++) {
  const r = await rawLaunch(images);
  raw.push(r.readyMs);
  rawDestroy.push(r.destroyMs);
}
if (parts.has('raw')) {
  emit('raw testcontainers: same 5 containers to sshd listening (Wait.forListeningPorts), no SSH login', 'ms', summarize(raw));
  emit('raw testcontainers: stop', 'ms', summarize(rawDestroy));
}

if (parts.has('fill')) await benchVolumeFill(topology, Number(process.env.BENCH_FILL_RUNS ?? 10));
if (parts.has('aws')) await benchAwsStacks(Number(process.env.BENCH_AWS_RUNS ?? 5));
if (parts.has('lifecycle')) await benchLifecycle(provider, Number(process.env.BENCH_LIFECYCLE_RUNS ?? 5));
if (parts.has('workers')) {
  benchReplacement();
  benchSkew(2);
  if (process.env.BENCH_SKIP_ALL !== '1') benchWorkers((process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number), Number(process.env.BENCH_WORKER_RUNS ?? 5));
}
if (parts.has('imaging')) {
  await benchNoChangeBuild(3);
  await benchOneRoleChange('roles/bastion/tasks/main.yml');
}
if (parts.has('base')) await benchBaseVersusPrebuilt(provider, topology, Number(process.env.BENCH_BASE_RUNS ?? 2));
if (parts.has('nightly')) benchNightly();
if (parts.has('catch-rate')) await benchCatchRate(Number(process.env.BENCH_RACE_RUNS ?? 10), Number(process.env.BENCH_RACE_REPEAT ?? 2), Number(process.env.BENCH_RACE_PARALLEL ?? 2));
process.exit(0);
