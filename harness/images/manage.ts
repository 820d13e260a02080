import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BadInputError, TestFailureError } from '../errors.js';
import { homeProject } from '../project/index.js';
import { engine } from '../provider/docker/engine.js';
import type { RunReport } from '../run/results.js';
import { channelSpec, channelsOf, promotions, recordPromotion, type Promotion } from './channels.js';
import { projectImages, type Lineage } from './lineage.js';

export interface ListedImage extends Lineage {
  channels: string[];
  /** Containers (of live or kept environments) made from it. */
  usedBy: number;
}

/** Image ids that containers, running or stopped, were made from. */
async function imagesInUse(): Promise<Map<string, number>> {
  const { docker } = await engine();
  const used = new Map<string, number>();
  for (const c of await docker.listContainers({ all: true })) used.set(c.ImageID, (used.get(c.ImageID) ?? 0) + 1);
  return used;
}

/** The project's role images with their lineage, the channels that point at them and who uses them. */
export async function listImages(): Promise<ListedImage[]> {
  const used = await imagesInUse();
  return (await projectImages(homeProject().name)).map((l) => ({ ...l, channels: channelsOf(l.id), usedBy: used.get(l.id) ?? 0 }));
}

export interface PruneResult {
  removed: ListedImage[];
  kept: { image: ListedImage; reason: string }[];
}

/**
 * Keeps, for every role, version, base and ref, the newest `keep` clean builds, plus every image
 * a channel's newest `keep` promotions name, the working tree's current image, and any image a
 * container uses; removes the rest (dirty builds first of all).
 */
export async function pruneImages(keep: number, dryRun = false): Promise<PruneResult> {
  const images = await listImages();
  const promoted = new Set<string>();
  const byChannel = new Map<string, Promotion[]>();
  for (const p of promotions()) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p]);
  for (const list of byChannel.values()) list.slice(-keep).forEach((p) => p.images.forEach((i) => promoted.add(i.id)));
  const seen = new Map<string, number>();
  const result: PruneResult = { removed: [], kept: [] };
  const { docker } = await engine();
  for (const image of images) {
    // Clean builds are kept per ref; a dirty build is scratch, kept only while it is current or in use.
    const group = `${image.role}:${image.version}-${image.base} from ${image.ref}`;
    const rank = image.dirty ? Infinity : (seen.get(group) ?? 0) + 1;
    if (!image.dirty) seen.set(group, rank);
    const current = image.tags.find((t) => !t.endsWith(`-${image.hash}`));
    const reason =
      image.usedBy > 0 ? `used by ${image.usedBy} container${image.usedBy > 1 ? 's' : ''}`
      : promoted.has(image.id) ? `in channel ${image.channels.join(', ') || 'history'}`
      : current ? `the working tree's current image (${current})`
      : rank <= keep ? `one of the newest ${keep} of ${group}`
      : undefined;
    if (reason) {
      result.kept.push({ image, reason });
      continue;
    }
    if (!dryRun) for (const t of image.tags) await docker.getImage(t).remove();
    result.removed.push(image);
  }
  return result;
}

/** A run's report, from its results folder or the report.json itself. */
export function readRunReport(from: string): RunReport & { file: string } {
  const file = existsSync(from) && statSync(from).isDirectory() ? path.join(from, 'report.json') : from;
  if (!existsSync(file)) throw new BadInputError(`--from ${from}: no report.json there; give a run's results folder (shakedown-results/RUN)`);
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as RunReport), file: path.resolve(file) };
}

/**
 * Moves a channel to the prebuilt images a passing run used (of the channel's version, when the
 * run used several). A failed, flaky or interrupted run, or one that used none, moves nothing.
 */
export function promote(channel: string, from: string): Promotion {
  const spec = channelSpec(channel);
  const r = readRunReport(from);
  if (r.outcome !== 'passed' || r.failed || r.flaky || r.infra) {
    const why = r.flaky ? `${r.flaky} unit(s) passed only on retry (flaky)` : r.failed ? `${r.failed} test(s) failed` : `its outcome is ${r.outcome}${r.error ? ` (${r.error})` : ''}`;
    throw new TestFailureError(`not promoting ${channel}: run ${r.run} did not pass: ${why}; fix it and promote a passing run`);
  }
  const prebuilt = (r.lineage ?? []).filter((l) => l.from === 'prebuilt' && l.role !== 'base');
  const images = prebuilt.some((l) => l.version === spec.version) ? prebuilt.filter((l) => l.version === spec.version) : prebuilt;
  if (!images.length) throw new BadInputError(`not promoting ${channel}: run ${r.run} used no prebuilt role images (launched from base only); promote a run on prebuilt images`);
  const byId = new Map(images.map((i) => [i.id, i]));
  const promotion: Promotion = { channel, at: new Date().toISOString(), run: r.run, results: path.dirname(r.file), images: [...byId.values()] };
  recordPromotion(promotion);
  return promotion;
}
