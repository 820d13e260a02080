import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

/** The run's key pair: made per run, in memory; only the public half leaves the process. */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateRunKey(comment: string): KeyPair {
  // About 1 in 200 ed25519 keys that ssh2 generates cannot be parsed back by ssh2 itself
  // ("Malformed OpenSSH private key"); draw again rather than fail a launch.
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return { privateKey: pair.private, publicKey: pair.public.trim() };
  }
  throw new Error('could not generate a usable ed25519 key in 20 attempts');
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
