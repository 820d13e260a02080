import type { TimelineEvent } from '../run/results.js';
import { formatDuration, formatElapsed } from './duration.js';
import { esc } from './escape.js';

/** Bar colours by kind; a bar whose event failed is filled red and keeps its kind as the outline. */
export const KIND_COLOURS: { [k in TimelineEvent['kind']]: string } = {
  launch: '#4e79a7',
  unit: '#59a14f',
  gate: '#b07aa1',
  destroy: '#9c9c9c',
  backoff: '#f28e2b',
  evidence: '#c9a227',
};
export const FAILED_COLOUR = '#e15759';

const WIDTH = 1000;
const LEFT = 44;
const RIGHT = 16;
const TOP = 8;
const ROW = 26;
const BAR = 18;
const AXIS = 30;
const TICK_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

export interface TimelineOptions {
  workers: number;
  makespanMs: number;
  /** Drawn as a dashed line: no schedule can finish before it. */
  lowerBoundMs?: number;
}

/**
 * Each worker's run as one row of bars on a shared time axis, as inline SVG: where the time
 * went (launches, units, gates, destroys) and how evenly the work was spread. Every bar has a
 * <title>, which browsers show as a tooltip, so the picture needs no script.
 */
export function timelineSvg(events: TimelineEvent[], o: TimelineOptions): string {
  const rows = [...new Set([...Array.from({ length: o.workers }, (_, i) => i + 1), ...events.map((e) => e.worker)])].sort((a, b) => a - b);
  const end = Math.max(1, o.makespanMs, ...events.map((e) => e.endMs));
  const x = (ms: number) => LEFT + (Math.max(0, ms) / end) * (WIDTH - LEFT - RIGHT);
  const y = (worker: number) => TOP + rows.indexOf(worker) * ROW;
  const height = TOP + rows.length * ROW + AXIS;
  return [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="worker timeline" font-family="sans-serif" font-size="11">`,
    ...rows.map((w) => `<text class="worker" x="4" y="${y(w) + BAR / 2 + 4}">w${w}</text><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(w) + ROW - 4}" y2="${y(w) + ROW - 4}" stroke="#eee"/>`),
    ...axis(end, x, TOP + rows.length * ROW),
    ...events.map((e) => bar(e, x, y(e.worker))),
    ...(o.lowerBoundMs ? [lowerBound(o.lowerBoundMs, x, TOP + rows.length * ROW)] : []),
    '</svg>',
  ].join('\n');
}

/** Work off the worker's path (a spare's launch, a destroy it did not wait for) is a thin strip under its row's bars. */
const STRIP = 5;

function bar(e: TimelineEvent, x: (ms: number) => number, row: number): string {
  const left = x(e.startMs);
  const width = Math.max(1, x(e.endMs) - left);
  const [top, height] = e.background ? [row + BAR + 1, STRIP] : [row, BAR];
  const colour = KIND_COLOURS[e.kind];
  const tip = [`${e.label}: ${e.kind}${e.background ? ' (in the background)' : ''}${e.ok ? '' : ' (failed)'}, ${formatDuration(e.endMs - e.startMs)}`, e.env && `env ${e.env}`, e.note].filter(Boolean).join('\n');
  const chars = e.background ? 0 : Math.floor((width - 6) / 6.5);
  const text = chars >= 4 ? `<text x="${(left + 3).toFixed(1)}" y="${top + BAR / 2 + 4}" fill="#fff" pointer-events="none">${esc(truncate(e.label, chars))}</text>` : '';
  const fill = e.ok ? colour : FAILED_COLOUR;
  return `<g class="bar ${e.kind}${e.background ? ' background' : ''}${e.ok ? '' : ' failed'}"><title>${esc(tip)}</title><rect x="${left.toFixed(1)}" y="${top}" width="${width.toFixed(1)}" height="${height}" rx="2" fill="${fill}" stroke="${colour}" stroke-width="${e.ok ? 0 : 2}"/>${text}</g>`;
}

/** Ticks at a round step giving at most ten of them. */
function axis(end: number, x: (ms: number) => number, top: number): string[] {
  const step = (TICK_SECONDS.find((s) => end / (s * 1000) <= 10) ?? Math.ceil(end / 10_000)) * 1000;
  const ticks: string[] = [`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${top}" y2="${top}" stroke="#888"/>`];
  for (let t = 0; t <= end; t += step) {
    const at = x(t).toFixed(1);
    ticks.push(`<line x1="${at}" x2="${at}" y1="${top}" y2="${top + 4}" stroke="#888"/><text class="tick" x="${at}" y="${top + 16}" text-anchor="middle" fill="#555">${formatElapsed(t)}</text>`);
  }
  return ticks;
}

function lowerBound(ms: number, x: (ms: number) => number, bottom: number): string {
  const at = x(ms).toFixed(1);
  return `<g class="lower-bound"><title>lower bound: ${esc(formatDuration(ms))}</title><line x1="${at}" x2="${at}" y1="${TOP - 4}" y2="${bottom}" stroke="#333" stroke-dasharray="4 3"/></g>`;
}

const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`);
