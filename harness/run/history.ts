import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../paths.js';

/** How long each unit took in recent runs, keyed by topology and unit: what longest-first orders by. */
export interface History {
  version: 1;
  units: { [key: string]: { ms: number[]; at: string } };
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

/** The median of the recent durations: one slow run does not reorder the next. */
export function expectedMs(h: History, key: string): number | undefined {
  const ms = [...(h.units[key]?.ms ?? [])].sort((a, b) => a - b);
  return ms.length ? ms[Math.floor((ms.length - 1) / 2)] : undefined;
}

export function recordDurations(h: History, durations: { key: string; ms: number }[], at = new Date()): History {
  const units = { ...h.units };
  for (const { key, ms } of durations) units[key] = { ms: [...(units[key]?.ms ?? []), Math.round(ms)].slice(-KEEP), at: at.toISOString() };
  return { version: 1, units };
}

/** Written to a temporary file and renamed, so a killed run never leaves half a history. */
export function saveHistory(h: History, file = historyFile()): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(h, null, 2) + '\n');
  renameSync(tmp, file);
}
