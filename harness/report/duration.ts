/** Durations the way people read them in reports: "850 ms", "12.3 s", "3 m 05 s", "1 h 02 m". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} m ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor(s / 60) % 60)} m`;
}

/** Elapsed time, compact, for live progress and axis labels: "12s", "3m05s", "1h02m". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
}

/** Seconds with millisecond precision, as JUnit's time attributes want them. */
export const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

const pad = (n: number) => String(n).padStart(2, '0');
