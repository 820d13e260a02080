import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { planServers } from '../harness/environment/launch.js';
import { engine } from '../harness/provider/docker/engine.js';
import { fillOnHost, fillsOnHost, HOST_VOLUMES, hostFolder } from '../harness/provider/docker/volume-fill.js';
import type { Topology } from '../harness/topology/schema.js';
import { emit, summarize } from './stats.js';

/**
 * The largest volume of a topology filled on this host right after the previous fill was removed,
 * as a launch follows a destroy: `runs` fills with the folders' root marked a top directory (what
 * the provider does), then `runs` with the mark taken off, then the mark put back.
 */
/** About a launch's time: the inodes a removal frees count as recent for about 30 s. */
const PAUSE_MS = 3000;

export async function benchVolumeFill(topology: Topology, runs: number): Promise<void> {
  const { docker } = await engine();
  if (!(await fillsOnHost(docker))) return emit('volume fill on this host', 'ms', {}, { error: 'volumes are not filled on this host (not root, or not beside the engine)' });
  const server = planServers(topology).find((s) => s.volumes.length)!;
  const volume = server.volumes[0]!;
  const fill = async (i: number) => {
    const name = `sd-bench-fill-${process.pid}-${i}`;
    const start = Date.now();
    await fillOnHost(docker, { image: server.image, dir: volume.path, volume: name, labels: {} });
    const ms = Date.now() - start;
    rmSync(hostFolder(name), { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    return ms;
  };
  await fill(0); // extracts the image's files once, and marks the root
  const marked: number[] = [];
  const unmarked: number[] = [];
  try {
    for (let i = 0; i < runs; i++) marked.push(await fill(i));
    execFileSync('chattr', ['-T', HOST_VOLUMES]);
    for (let i = 0; i < runs; i++) unmarked.push(await fill(i));
  } finally {
    execFileSync('chattr', ['+T', HOST_VOLUMES]);
  }
  const what = `${server.name}'s ${volume.name} filled on this host right after the last fill was removed`;
  emit(`${what}, folders' root a top directory (chattr +T)`, 'ms', summarize(marked));
  emit(`${what}, root not marked`, 'ms', summarize(unmarked));
}
