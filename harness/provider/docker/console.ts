import { parseHostKey, type HostKey } from '../../ssh/keys.js';

export const CONSOLE_BEGIN = '-----BEGIN SSH HOST KEY KEYS-----';
export const CONSOLE_END = '-----END SSH HOST KEY KEYS-----';

/** The host key from the last boot's block on a server's console, as cloud-init prints it on EC2. */
export function hostKeyFromConsole(consoleText: string): HostKey | undefined {
  const start = consoleText.lastIndexOf(CONSOLE_BEGIN);
  if (start < 0) return undefined;
  const end = consoleText.indexOf(CONSOLE_END, start);
  if (end < 0) return undefined;
  const lines = consoleText.slice(start + CONSOLE_BEGIN.length, end).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith('ssh-ed25519')) ?? lines[0];
  return line ? parseHostKey(line) : undefined;
}
