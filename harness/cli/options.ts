import { InvalidArgumentError, Option } from 'commander';

/** Parses a duration such as 90s, 30m, 2h or 1d into milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`'${value}' is not a duration: use e.g. 30m, 2h or 1d`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's']!;
}

/** A parser for a flag that takes a whole number from `min` to `max`. */
export const wholeNumber = (flag: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}, not '${value}'`);
  return n;
};

/** A flag that takes a duration, its default shown in help as written (2h), not in milliseconds. */
export function durationOption(flags: string, description: string, fallback: string): Option {
  return new Option(flags, description).argParser(parseDuration).default(parseDuration(fallback), fallback);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** A run's objects expire after this even if every process that knew of them is gone. */
export const RUN_TTL = '2h';
export const KEPT_TTL = '4h';
