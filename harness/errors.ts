/**
 * One error hierarchy for the whole harness. Each class maps to its own exit code,
 * and each message names the facts and the next step.
 */
export abstract class ShakedownError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Config, topology or flags are wrong: nothing was created. Exit 2. */
export class BadInputError extends ShakedownError {
  readonly exitCode = 2;
}

/** The engine, an image, a launch or a server let us down. Exit 3. */
export class InfrastructureError extends ShakedownError {
  readonly exitCode = 3;
}

/** A test failed. Exit 1. */
export class TestFailureError extends ShakedownError {
  readonly exitCode = 1;
}

/** The project's configuration code failed where the engine did not (a bake's converge): exit 1, as a test failure. */
export class ConvergeFailedError extends ShakedownError {
  readonly exitCode = 1;
}

/** SIGINT or SIGTERM. Exit 130. */
export class InterruptedError extends ShakedownError {
  readonly exitCode = 130;
}

export type TransportFailureKind =
  | 'authentication'
  | 'host-key-mismatch'
  | 'timeout'
  | 'connection-lost'
  | 'unreachable';

/** SSH could not carry a command to or from a server. */
export class TransportError extends InfrastructureError {
  constructor(
    readonly kind: TransportFailureKind,
    readonly server: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A command ran and exited non-zero where success was required. */
export class CommandFailedError extends ShakedownError {
  readonly exitCode = 1;
  constructor(
    readonly server: string,
    readonly command: string,
    readonly code: number | null,
    readonly stderr: string,
    /** What the service the command was about logged, when it names one. */
    readonly journal = '',
  ) {
    super(`${server}: \`${command}\` exited ${code ?? 'by signal'}: ${stderr.trim().split('\n').slice(-3).join(' | ')}${journal ? ` — ${journal}` : ''}`);
  }
}

export const EXIT = { passed: 0, failed: 1, badInput: 2, infrastructure: 3, interrupted: 130 } as const;

/** The exit code for anything thrown: unknown errors are infrastructure errors. */
export function exitCodeOf(error: unknown): number {
  return error instanceof ShakedownError ? error.exitCode : EXIT.infrastructure;
}
