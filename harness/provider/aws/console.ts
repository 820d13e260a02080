import { parseHostKey, type HostKey } from '../../ssh/keys.js';

const BEGIN = '-----BEGIN SSH HOST KEY KEYS-----';
const END = '-----END SSH HOST KEY KEYS-----';
const KEY = /\b(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) (AAAA[A-Za-z0-9+/]+={0,2})/;

/**
 * The host key from the last complete host-key block on an EC2 console. Two formats print that
 * block: cloud-init's keys-to-console on first boot (every key type, sometimes behind a syslog or
 * `ec2:` prefix, with kernel lines interleaved) and the base image's own unit on every boot
 * (the ed25519 key alone). The base image's sshd serves only its ed25519 key, so that one wins.
 */
export function hostKeyFromEc2Console(text: string): HostKey | undefined {
  const lines = text.split(/\r?\n/);
  const end = lastIndex(lines, (l) => l.includes(END));
  if (end < 0) return undefined;
  const begin = lastIndex(lines.slice(0, end), (l) => l.includes(BEGIN));
  if (begin < 0) return undefined;
  const keys = lines.slice(begin + 1, end).flatMap((l) => {
    const m = KEY.exec(l);
    return m ? [parseHostKey(`${m[1]} ${m[2]}`)] : [];
  });
  return keys.find((k) => k.type === 'ssh-ed25519') ?? keys[0];
}

/** Host-key blocks completed on the console: each boot of the base image prints one once sshd is up. */
export function bootsOnConsole(text: string): number {
  return text.split(END).length - 1;
}

function lastIndex<T>(xs: T[], ok: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (ok(xs[i]!)) return i;
  return -1;
}
