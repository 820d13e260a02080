import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../paths.js';

type Recent = { ms: number[]; at: string };

/**
 * How long each unit took in recent runs, keyed by topology and unit: what longest-first orders
 * by; and how long each topology took to launch: what setup-aware assignment weighs a launch by.
 */
export interface History {
  version: 1;
  units: { [key: string]: Recent };
  launches?: { [topology: string]: Recent };
}

const KEEP = 5;
export const historyFile = () => path.join(stateDir(), 'durations.json');
export const historyKey = (topology: string, unit: string) => `${topology} ${unit}`;

/** The history in the working directory; a missing or unreadable file is an empty history. */
export function loadHistory(file = historyFile()): History {
  if (!existsSync(file)) return { version: 1, units: {} };
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as History;
    return h.version === 1 && typeof h.units === 'object' ? h : { version: 1, units: {} };
  } catch {
    return { version: 1, units: {} };
  }
}

/** The lower median: one slow run does not reorder the next. */
export function median(values: number[]): number | undefined {
  const ms = [...values].sort((a, b) => a - b);
  return ms.length ? ms[Math.floor((ms.length - 1) / 2)] : undefined;
}

/** The median of the recent durations. */
export function expectedMs(h: History, key: string): number | undefined {
  return median(h.units[key]?.ms ?? []);
}

/** The median of the recent launch times of a topology. */
export function expectedLaunchMs(h: History, topology: string): number | undefined {
  return median(h.launches?.[topology]?.ms ?? []);
}

function remember(into: { [key: string]: Recent }, items: { key: string; ms: number }[], at: Date): { [key: string]: Recent } {
  const out = { ...into };
  for (const { key, ms } of items) out[key] = { ms: [...(out[key]?.ms ?? []), Math.round(ms)].slice(-KEEP), at: at.toISOString() };
  return out;
}

export function recordDurations(h: History, durations: { key: string; ms: number }[], at = new Date()): History {
  return { ...h, units: remember(h.units, durations, at) };
}

export function recordLaunches(h: History, launches: { topology: string; ms: number }[], at = new Date()): History {
  return { ...h, launches: remember(h.launches ?? {}, launches.map((l) => ({ key: l.topology, ms: l.ms })), at) };
}

/** Written to a temporary file and renamed, so a killed run never leaves half a history. */
export function saveHistory(h: History, file = historyFile()): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(h, null, 2) + '\n');
  renameSync(tmp, file);
}
