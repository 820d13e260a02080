import type { Server } from '../../environment/server.js';
import { shellQuote } from '../../environment/server.js';
import { assertNone } from './failure.js';

/** `dpkg-query -W -f '${Status}|${Version}'` output against what is expected. */
export function evaluatePackage(output: string | undefined, version?: string | RegExp): string[] {
  if (!output) return ['not installed'];
  const [status, installed] = output.trim().split('|');
  if (status !== 'install ok installed') return [`not installed (dpkg status '${status}')`];
  if (version === undefined) return [];
  // '1.2' matches 1.2 and 1.2.3-1, not 1.22.
  const ok = typeof version === 'string' ? installed === version || /^[.\-+~:]/.test(installed!.slice(version.length)) && installed!.startsWith(version) : version.test(installed!);
  return ok ? [] : [`version is ${installed}, expected ${version}`];
}

/** The Debian package is installed, at a version if given. */
export async function expectPackage(server: Server, name: string, version?: string | RegExp): Promise<void> {
  const r = await server.sh(`dpkg-query -W -f='\${Status}|\${Version}' ${shellQuote(name)} 2>/dev/null`);
  assertNone(server.name, `package ${name}`, evaluatePackage(r.ok ? r.stdout : undefined, version));
}
