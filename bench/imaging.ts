import { benchEnv } from './interrupt.js';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchEnvironment } from '../harness/environment/launch.js';
import { buildImages } from '../harness/images/build.js';
import { project } from '../harness/project/index.js';
import type { Provider } from '../harness/provider/provider.js';
import type { Topology } from '../harness/topology/schema.js';
import { emit, summarize } from './stats.js';

/** `images build` with nothing changed: hashing, one image listing, a tag per role. */
export async function benchNoChangeBuild(runs: number): Promise<void> {
  await buildImages();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = Date.now();
    const r = await buildImages();
    if (r.some((x) => x.built)) throw new Error(`a build with nothing changed baked ${r.filter((x) => x.built).map((x) => x.image).join(', ')}`);
    ms.push(Date.now() - started);
  }
  emit(`images build, nothing changed (${project().roles.length} roles x ${project().versions.length} versions + base)`, 'ms', summarize(ms), { target: '< 5000' });
}

/** One file under one role's folder changed: only that role's images are baked again. */
export async function benchOneRoleChange(file: string): Promise<void> {
  const full = path.join(project().converge.source, file);
  const original = readFileSync(full, 'utf8');
  appendFileSync(full, `\n# bench ${Date.now()}\n`);
  try {
    const started = Date.now();
    const r = await buildImages();
    emit(`images build after a one-line change to ${file}`, 'ms', { ms: Date.now() - started, baked: r.filter((x) => x.built).map((x) => x.image) });
  } finally {
    writeFileSync(full, original);
    await buildImages();
  }
}

/** The default topology, SSH-ready and converged, launched from prebuilt images and from the base image. */
export async function benchBaseVersusPrebuilt(provider: Provider, topology: Topology, runs: number): Promise<void> {
  for (const from of ['prebuilt', 'base'] as const) {
    const ready: number[] = [];
    for (let i = 0; i < runs; i++) {
      const env = await launchEnvironment({ topology: { ...topology, from }, provider, run: 'bench', worker: 0, keep: false, ttlMs: 1_800_000, onId: benchEnv });
      ready.push(env.timings.readyMs);
      await env.destroy();
    }
    emit(`environment ready from ${from} images (${topology.name}, converged at launch when base)`, 'ms', summarize(ready));
  }
}

/** A whole nightly on 2 workers, as cron would run it. */
export function benchNightly(): void {
  const started = Date.now();
  const r = spawnSync('node', ['bin/shakedown.js', '--quiet', 'nightly', '--workers', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
  emit('nightly wall time, 2 workers (build, suites on prebuilt and base, upgrade production to development, promote, prune)', 'ms', { ms: Date.now() - started, exit: r.status });
}
