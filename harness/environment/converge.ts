import { execFileSync } from 'node:child_process';
import { InfrastructureError } from '../errors.js';
import { imagesDir } from '../images/catalog.js';
import type { Server } from './server.js';

const REMOTE_DIR = '/opt/platform-src';
const CONVERGE_TIMEOUT_MS = 300_000;

/** The platform's configuration code, packed once per process. */
let packed: Buffer | undefined;
function platformTarball(): Buffer {
  packed ??= execFileSync('tar', ['-cz', '-C', imagesDir, 'platform'], { maxBuffer: 64 << 20 });
  return packed;
}

export interface ConvergeOptions {
  version: string;
  defects: string[];
}

/** Applies the platform's configuration code to a live server over SSH, as an admin would. */
export async function converge(server: Server, opts: ConvergeOptions): Promise<void> {
  await server.mustWithInput(`rm -rf ${REMOTE_DIR} && mkdir -p ${REMOTE_DIR} && tar -xz -C ${REMOTE_DIR}`, platformTarball());
  const defects = opts.defects.length ? ` --defects ${opts.defects.join(',')}` : '';
  const cmd = `${REMOTE_DIR}/platform/apply.sh --role ${server.role} --version ${opts.version}${defects}`;
  const r = await server.sudo(cmd, { timeoutMs: CONVERGE_TIMEOUT_MS });
  if (!r.ok) {
    const tail = (r.stdout + r.stderr).trim().split('\n').slice(-5).join(' | ');
    throw new InfrastructureError(`${server.name}: converging role ${server.role} failed (exit ${r.code}): ${tail}`);
  }
}
