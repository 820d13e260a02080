import os from 'node:os';
import { LABEL, processStart } from '../provider/labels.js';

/**
 * The label on the containers a build runs (the bake's, the tool-version probe's), whose value
 * names the building process, so the janitor can remove them once that process is gone. It is one
 * label and not the owner labels because a Dockerfile LABEL stays on the image: the finished role
 * image sets it empty, and containers launched from it must not look like a run's.
 */
export const BUILDER_LABEL = 'shakedown.builder';

/** A build outlives no process, but a long bake must not look expired while its process runs. */
const BUILDER_TTL_MS = 12 * 3600_000;

/** This process's builder label value: `pid=… start=… host=… expires=…`. */
export function builderValue(now = new Date()): string {
  const expires = new Date(now.getTime() + BUILDER_TTL_MS).toISOString();
  return `pid=${process.pid} start=${processStart(process.pid) ?? ''} host=${os.hostname()} expires=${expires}`;
}

/**
 * A builder's value as the owner labels the janitor judges; undefined for a finished image's empty
 * value and for one that names no process (an older Shakedown's, which only it may remove).
 */
export function builderOwner(value: string | undefined): Record<string, string> | undefined {
  const pairs = (value ?? '').trim().split(/\s+/).filter((kv) => kv.includes('='));
  const fields: Record<string, string> = Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  if (!fields.pid) return undefined;
  return {
    [LABEL.run]: 'images-build',
    [LABEL.pid]: fields.pid ?? '',
    [LABEL.pidStart]: fields.start ?? '',
    [LABEL.host]: fields.host ?? '',
    [LABEL.expires]: fields.expires ?? '',
    [LABEL.keep]: 'false',
  };
}
