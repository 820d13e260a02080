import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { interrupted } from '../harness/cli/interrupt.js';
import { engine } from '../harness/provider/docker/engine.js';
import { ownerLabels } from '../harness/provider/labels.js';

/**
 * The floor: the same five server containers started with plain testcontainers calls,
 * waiting the testcontainers way for sshd's port; no SSH login, no systemd settle.
 * Its network and containers carry this process's labels, so the janitor finds them after a kill -9.
 */
const live = new Set<Promise<unknown>>();
let launches = 0;

/** On a signal: waits for the raw launches in flight, which remove what they made themselves. */
export async function stopRawLaunches(): Promise<void> {
  await Promise.allSettled([...live]);
}

export async function rawLaunch(images: string[]): Promise<{ readyMs: number; destroyMs: number }> {
  const launch = launchAndStop(images);
  live.add(launch);
  try {
    return await launch;
  } finally {
    live.delete(launch);
    // The signal's cleanup exits 130 once it is done; meanwhile the bench must not go on, nor crash with exit 1.
    if (interrupted()) await new Promise(() => undefined);
  }
}

async function launchAndStop(images: string[]): Promise<{ readyMs: number; destroyMs: number }> {
  const { docker } = await engine();
  const started = Date.now();
  const labels = ownerLabels({ run: 'bench-raw', env: 'raw', worker: 0, topology: 'raw', expires: new Date(Date.now() + 600_000), keep: false });
  const name = `shakedown-bench-raw-${process.pid}-${++launches}`;
  await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels, CheckDuplicate: true });
  // Every start is let finish, so no container is still being made while the others are removed.
  const starts = await Promise.allSettled(images.map((image) => start(image, name, labels)));
  const readyMs = Date.now() - started;
  const t = Date.now();
  await Promise.allSettled(starts.map((s) => (s.status === 'fulfilled' ? s.value.stop({ timeout: 0 }) : undefined)));
  await docker.getNetwork(name).remove();
  const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return { readyMs, destroyMs: Date.now() - t };
}

function start(image: string, network: string, labels: Record<string, string>): Promise<StartedTestContainer> {
  return new GenericContainer(image)
    .withLabels(labels)
    .withNetworkMode(network)
    .withTmpFs({ '/run': 'rw', '/run/lock': 'rw' })
    .withBindMounts([{ source: '/sys/fs/cgroup', target: '/sys/fs/cgroup', mode: 'ro' }])
    .withAddedCapabilities('SYS_ADMIN', 'SYS_PTRACE')
    .withExposedPorts(22)
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
}
