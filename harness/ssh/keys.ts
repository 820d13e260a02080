import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

/** The run's key pair: made per run, in memory; only the public half leaves the process. */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateRunKey(comment: string): KeyPair {
  const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/** A host key in OpenSSH's `type base64` form, as a server prints it to its console. */
export interface HostKey {
  type: string;
  base64: string;
}

export function parseHostKey(line: string): HostKey {
  const [type, base64] = line.trim().split(/\s+/);
  if (!type || !base64 || !/^ssh-|^ecdsa-/.test(type)) throw new Error(`not an SSH public key line: '${line.slice(0, 40)}'`);
  return { type, base64 };
}

/** OpenSSH's SHA256 fingerprint, e.g. SHA256:abc… (what `ssh-keygen -lf` prints). */
export function fingerprint(key: HostKey | Buffer): string {
  const blob = Buffer.isBuffer(key) ? key : Buffer.from(key.base64, 'base64');
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export function sameKey(pinned: HostKey, presented: Buffer): boolean {
  return Buffer.from(pinned.base64, 'base64').equals(presented);
}
