import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { homeProject } from '../project/current.js';
import { CHANNEL_NAME } from '../project/schema.js';
import type { Lineage } from './lineage.js';

/** Where a channel's images are built from: a git ref and the version its converge gets. */
export interface ChannelSpec {
  name: string;
  ref: string;
  version: string;
}

/** One move of a channel: which images, from which passing run, when. */
export interface Promotion {
  channel: string;
  at: string;
  run: string;
  results: string;
  images: Lineage[];
}


/** A channel's ref and version: the project file's, else HEAD at the first (production) or last (development) version. */
export function channelSpec(name: string): ChannelSpec {
  if (!CHANNEL_NAME.test(name)) throw new BadInputError(`channel '${name}': channels are production, development and branch-NAME`);
  const p = homeProject();
  const set = p.channels[name];
  const development = p.channels.development;
  const first = p.versions[0]!.name;
  const last = p.versions.at(-1)!.name;
  if (name === 'production') return { name, ref: set?.ref ?? 'HEAD', version: set?.version ?? first };
  if (name === 'development') return { name, ref: set?.ref ?? 'HEAD', version: set?.version ?? last };
  return { name, ref: set?.ref ?? name.slice('branch-'.length), version: set?.version ?? development?.version ?? last };
}

const historyFile = () => path.join(homeProject().root, '.shakedown', 'channels.json');

/** Every promotion, oldest first. */
export function promotions(): Promotion[] {
  const file = historyFile();
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { promotions: Promotion[] }).promotions;
}

/** The images a channel points at now, or undefined if it was never promoted. */
export function channelImages(name: string): Promotion | undefined {
  return promotions().filter((p) => p.channel === name).at(-1);
}

export function recordPromotion(p: Promotion): void {
  const file = historyFile();
  mkdirSync(path.dirname(file), { recursive: true });
  const all = [...promotions(), p];
  writeFileSync(`${file}.tmp`, JSON.stringify({ promotions: all }, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

/** Which channels point at an image now. */
export function channelsOf(id: string): string[] {
  const current = new Map<string, Promotion>();
  for (const p of promotions()) current.set(p.channel, p);
  return [...current.values()].filter((p) => p.images.some((i) => i.id === id)).map((p) => p.channel);
}
