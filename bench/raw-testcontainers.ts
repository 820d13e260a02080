import { GenericContainer, Network, Wait, type StartedTestContainer } from 'testcontainers';

/**
 * The floor: the same five server containers started with plain testcontainers calls,
 * waiting the testcontainers way for sshd's port; no SSH login, no systemd settle, no labels of ours.
 */
export async function rawLaunch(images: string[]): Promise<{ readyMs: number; destroyMs: number }> {
  const started = Date.now();
  const network = await new Network().start();
  const containers: StartedTestContainer[] = [];
  let readyMs = 0;
  try {
    await Promise.all(images.map((image) => start(image, network).then((c) => containers.push(c))));
    readyMs = Date.now() - started;
  } finally {
    const t = Date.now();
    await Promise.all(containers.map((c) => c.stop({ timeout: 0 })));
    await network.stop();
    if (readyMs) return { readyMs, destroyMs: Date.now() - t };
  }
  throw new Error('raw launch failed');
}

function start(image: string, network: Awaited<ReturnType<Network['start']>>): Promise<StartedTestContainer> {
  return new GenericContainer(image)
    .withLabels({ 'shakedown.run': 'bench-raw', 'shakedown.expires': new Date(Date.now() + 600_000).toISOString() })
    .withNetwork(network)
    .withTmpFs({ '/run': 'rw', '/run/lock': 'rw' })
    .withBindMounts([{ source: '/sys/fs/cgroup', target: '/sys/fs/cgroup', mode: 'ro' }])
    .withAddedCapabilities('SYS_ADMIN', 'SYS_PTRACE')
    .withExposedPorts(22)
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
}
