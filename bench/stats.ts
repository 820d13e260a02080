/** Median and 95th percentile of a sample, in the sample's unit. */
export function summarize(sample: number[]): { n: number; p50: number; p95: number; min: number; max: number } {
  const s = [...sample].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { n: s.length, p50: at(0.5), p95: at(0.95), min: s[0]!, max: s[s.length - 1]! };
}

/** One JSON line per figure, so results can be collected by tools. */
export function emit(figure: string, unit: string, stats: object, extra: object = {}): void {
  process.stdout.write(JSON.stringify({ figure, unit, ...stats, ...extra }) + '\n');
}
