import { benchEnv } from './interrupt.js';
import path from 'node:path';
import { launchEnvironment } from '../harness/environment/launch.js';
import { rebootServer, relaunchServer } from '../harness/environment/lifecycle.js';
import { catalog } from '../harness/images/catalog.js';
import { packageRoot } from '../harness/paths.js';
import type { Provider } from '../harness/provider/provider.js';
import { loadTopology } from '../harness/topology/load.js';
import { emit, summarize } from './stats.js';

/** One server rebooted (from inside, from outside) and relaunched, back to SSH-ready and settled, n times each. */
export async function benchLifecycle(provider: Provider, runs: number): Promise<void> {
  const topology = loadTopology(path.join(packageRoot, 'test', 'fixtures', 'small.yml'), catalog());
  const env = await launchEnvironment({ topology, provider, run: 'bench-life', worker: 0, keep: false, ttlMs: 600_000, onId: benchEnv });
  try {
    const guest: number[] = [];
    const outside: number[] = [];
    const relaunch: number[] = [];
    for (let i = 0; i < runs; i++) {
      guest.push((await rebootServer(env, 'web-1', 'guest')).ms);
      outside.push((await rebootServer(env, 'web-1', 'provider')).ms);
      relaunch.push((await relaunchServer(env, 'web-1')).ms);
    }
    emit('one server rebooted by sudo systemctl reboot, back to SSH-ready with a new boot marker and settled', 'ms', summarize(guest), { target: '<= 3000' });
    emit('one server rebooted from outside (provider), back to SSH-ready and settled', 'ms', summarize(outside), { target: '<= 3000' });
    emit('one server relaunched from its image (volumes kept, new host key), back to SSH-ready and settled', 'ms', summarize(relaunch), { target: '<= 3000' });
  } finally {
    await env.destroy();
  }
}
