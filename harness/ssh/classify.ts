import { TransportError, type TransportFailureKind } from '../errors.js';

interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
  reason?: number;
}

/** Errors that mean "the server is still booting": worth another try before the deadline. */
const BOOTING: { test: (e: Ssh2Error) => boolean; why: string }[] = [
  { test: (e) => e.code === 'ECONNREFUSED', why: 'connection refused' },
  { test: (e) => e.code === 'ECONNRESET', why: 'connection reset' },
  { test: (e) => /Connection lost before handshake/.test(e.message), why: 'closed before the SSH handshake' },
  { test: (e) => /Connection closed during the SSH handshake/.test(e.message), why: 'closed during the SSH handshake' },
  { test: (e) => /Channel open failure/.test(e.message) && e.reason === 2, why: 'the bastion could not connect yet' },
  { test: (e) => /Channel open failure/.test(e.message) && /Connection refused|No route/.test(e.message), why: 'the bastion could not connect yet' },
];

/** Why a connection attempt may be retried, or undefined if it must not be. */
export function bootingReason(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Ssh2Error;
  return BOOTING.find((b) => b.test(e))?.why;
}

/** Turns anything ssh2 throws into a TransportError of a known kind, naming the server. */
export function classifySshError(server: string, error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const e = (error && typeof error === 'object' ? error : {}) as Ssh2Error;
  const message = e.message ?? String(error);
  let kind: TransportFailureKind = 'connection-lost';
  let next = 'check that the server is up (shakedown env ls)';
  if (e.level === 'client-authentication' || /authentication methods failed/.test(message)) {
    kind = 'authentication';
    next = "the server did not accept the run's key: check /etc/ssh/authorized_keys/testadmin on the image";
  } else if (e.level === 'client-timeout' || /Timed out/.test(message)) {
    kind = 'timeout';
    next = 'the server did not answer in time';
  } else if (bootingReason(e)) {
    kind = 'unreachable';
    next = 'sshd is not accepting connections';
  }
  return new TransportError(kind, server, `${server}: SSH ${kind}: ${message}; ${next}`, { cause: error });
}
