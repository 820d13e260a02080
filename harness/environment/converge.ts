import { execFileSync } from 'node:child_process';
import { InfrastructureError } from '../errors.js';
import { project, type Project, type Version } from '../project/index.js';
import { failedTask, journalCause, withCause } from './failure-cause.js';
import { shellQuote, type Server } from './server.js';

/** Where the project's configuration code lives on a server, baked or uploaded. */
export const SOURCE_DIR = '/opt/shakedown/source';
const CONVERGE_TIMEOUT_MS = 300_000;

/** The configuration code, packed once per process. */
const packed = new Map<string, Buffer>();
function sourceTarball(dir: string): Buffer {
  if (!packed.has(dir)) packed.set(dir, execFileSync('tar', ['-cz', '-C', dir, '.'], { maxBuffer: 64 << 20 }));
  return packed.get(dir)!;
}

const lastLines = (text: string) => text.trim().split('\n').slice(-5).join(' | ');

/** What the converge command is told: the role, the version and its variables, the defects, whether it bakes. */
export function convergeEnv(role: string, version: Version, defects: readonly string[], baking: boolean): Record<string, string> {
  return { ...version.vars, SHAKEDOWN_ROLE: role, SHAKEDOWN_VERSION: version.name, SHAKEDOWN_DEFECTS: defects.join(','), SHAKEDOWN_BAKING: String(baking) };
}

/** Exit codes of the converge command that mean success: Puppet's --detailed-exitcodes says 2 for "changed". */
export const okCodesOf = (p: Project) => (p.converge.changes === 'puppet' ? [0, 2] : [0]);
export const okCodes = () => okCodesOf(project());

export function versionNamed(name: string): Version {
  const p = project();
  const v = p.versions.find((x) => x.name === name);
  if (!v) throw new InfrastructureError(`version '${name}' is not in ${p.file} (versions: ${p.versions.map((x) => x.name).join(', ')})`);
  return v;
}

export interface ConvergeOptions {
  version: string;
  defects: readonly string[];
  /** The project role to converge to (default: the server's role in its topology). */
  role?: string;
  /** Install the converge tool's packages first, as on a server launched from the base image. */
  install?: boolean;
}

/** What a converge printed and how it exited (one of the success codes: a failure throws). */
export interface ConvergeResult {
  output: string;
  code: number;
}

/** Applies the project's configuration code to a live server over SSH, as an admin would. */
export async function converge(server: Server, opts: ConvergeOptions): Promise<ConvergeResult> {
  const p = project();
  const role = opts.role ?? server.role;
  if (opts.install && p.converge.packages.length) {
    const install = `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${p.converge.packages.join(' ')}`;
    const r = await server.sudo(`${install} 2>&1`, { timeoutMs: CONVERGE_TIMEOUT_MS });
    if (r.code !== 0) throw new InfrastructureError(`${server.name}: installing the converge tool's packages (${p.converge.packages.join(', ')}) failed (exit ${r.code}): ${lastLines(r.stdout + r.stderr)}`);
  }
  await server.mustWithInput(`rm -rf ${SOURCE_DIR} && mkdir -p ${SOURCE_DIR} && tar -xz -C ${SOURCE_DIR}`, sourceTarball(p.converge.source));
  const env = convergeEnv(role, versionNamed(opts.version), opts.defects, false);
  const exports = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
  const r = await server.sudo(`cd ${SOURCE_DIR} && export ${exports} && bash -c ${shellQuote(p.converge.command)} 2>&1`, { timeoutMs: CONVERGE_TIMEOUT_MS });
  const code = r.code ?? -1;
  if (!okCodes().includes(code)) throw new InfrastructureError(await convergeFailure(server, role, code, r.stdout + r.stderr));
  return { output: r.stdout, code };
}

/** Why a converge failed: the task it stopped at and the journal of the service that task was about. */
async function convergeFailure(server: Server, role: string, code: number, output: string): Promise<string> {
  const p = project();
  const failed = failedTask(p.converge.changes, output);
  const journal = await journalCause((c) => server.sudo(c), failed ? `${failed.task} ${failed.message}` : lastLines(output));
  return withCause(`${server.name}: converging role ${role} with '${p.converge.command}' failed (exit ${code})`, failed, lastLines(output), journal);
}
