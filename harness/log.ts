/** Context every log line carries: run, worker, environment, server. */
export interface LogContext {
  run?: string;
  worker?: string | number;
  env?: string;
  server?: string;
}

let quiet = false;
let verbose = process.env.SHAKEDOWN_DEBUG === '1';

export function setLogLevel(level: { quiet?: boolean; verbose?: boolean }): void {
  quiet = level.quiet ?? quiet;
  verbose = level.verbose ?? verbose;
}

function format(ctx: LogContext, message: string): string {
  const tags = Object.entries(ctx)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return tags ? `[${tags}] ${message}` : message;
}

export const isQuiet = () => quiet;

/** Progress for people: goes to stderr so stdout stays machine-readable. */
export function info(ctx: LogContext, message: string): void {
  if (!quiet) process.stderr.write(format(ctx, message) + '\n');
}

export function debug(ctx: LogContext, message: string): void {
  if (verbose) process.stderr.write(format(ctx, `debug: ${message}`) + '\n');
}
