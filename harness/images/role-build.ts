import { convergeEnv, okCodesOf } from '../environment/converge.js';
import { info } from '../log.js';
import type { Origin } from '../project/git.js';
import type { Project, Version } from '../project/index.js';
import type { BaseName } from '../project/schema.js';
import type { BuildReport } from './build.js';
import { immutableTag, roleTag } from './catalog.js';
import { ConvergeFailedError } from '../errors.js';
import { failedTask, withCause } from '../environment/failure-cause.js';
import { BUILDER_LABEL, builderValue } from './builder-label.js';
import { bakeFailure, buildForId, lastLines, removeBuilders, run, type Explain } from './docker-steps.js';
import { inspectLineage, LABEL, type Lineage } from './lineage.js';
import { recipeHash } from './recipe.js';
import { roleDockerfile } from './role-dockerfile.js';
import { shakedownVersion } from './version.js';

export interface RoleBuild {
  p: Project;
  origin: Origin;
  base: BaseName;
  baseImage: Lineage;
  role: string;
  version: Version;
  /** The project's role images already on the engine. */
  existing: Lineage[];
  force?: boolean;
  moveTag: boolean;
}

/** Files under another role's folder (converge.role_dir) are not part of this role's recipe. */
export function otherRolesFiles(p: Project, role: string): (rel: string) => boolean {
  const pattern = p.converge.role_dir;
  if (!pattern) return () => false;
  const others = p.roles.filter((r) => r !== role).map((r) => `${pattern.replaceAll('{role}', r).replace(/\/+$/, '')}/`);
  return (rel) => others.some((o) => rel.startsWith(o));
}

export async function buildRole(b: RoleBuild): Promise<BuildReport> {
  const { p, role, version } = b;
  const env = convergeEnv(role, version, [], true);
  const hash = recipeHash([p.converge.source], [b.baseImage.id, p.converge.command, p.converge.packages.join(','), JSON.stringify(env)], otherRolesFiles(p, role));
  const tag = immutableTag(role, version.name, b.base, b.origin, hash, p.name);
  const tags = b.moveTag ? [tag, roleTag(role, version.name, b.base, p.name)] : [tag];
  const started = Date.now();
  const same = b.existing.filter((l) => l.hash === hash && l.role === role);
  const exact = same.find((l) => l.commit === b.origin.commit && l.dirty === b.origin.dirty);
  if (exact && !b.force) {
    for (const t of tags) await run('docker', ['tag', exact.id, t], (code, tail) => `tagging ${t} failed (exit ${code}): ${lastLines(tail, 3)}`);
    return { image: exact.tag, built: false, ms: 0, lineage: exact };
  }
  if (same[0] && !b.force) {
    // The same recipe from another commit: the image is not baked again, only labelled with this commit.
    const lineage = await label(b, same[0].id, hash, same[0].tool, tags);
    return { image: tag, built: false, ms: Date.now() - started, lineage, sameAs: same[0].tag };
  }
  info({}, `building ${tag}`);
  // 1. The bake, untagged; 2. its lineage labels (the converge tool's version is known only once it is installed).
  const builder = builderValue();
  const dockerfile = roleDockerfile({ base: b.baseImage.id, packages: p.converge.packages, command: p.converge.command, env, project: p.name, okCodes: okCodesOf(p), builder });
  const baked = await bake(b, tag, dockerfile, builder);
  const lineage = await label(b, baked, hash, await toolVersion(p, baked), tags);
  const ms = Date.now() - started;
  info({}, `built ${tag} in ${(ms / 1000).toFixed(1)} s`);
  return { image: tag, built: true, ms, lineage };
}

/**
 * Bakes the role: a converge that fails is the configuration code's failure (exit 1), named by its
 * role and task; anything else is the engine's. No builder container outlives the bake.
 */
async function bake(b: RoleBuild, tag: string, dockerfile: string, builder: string): Promise<string> {
  const { p, role } = b;
  const explain: Explain = (code, tail) => {
    const failed = bakeFailure(tail);
    if (!failed) return `building ${tag} failed (exit ${code}): ${lastLines(tail, 6)}`;
    const task = failedTask(p.converge.changes, failed.output);
    const what = `baking role ${role} (${tag}): converge command '${p.converge.command}' exited ${failed.code}`;
    return new ConvergeFailedError(withCause(what, task, failed.lines, ''));
  };
  try {
    return await buildForId(['--force-rm', '-f', '-', p.converge.source], explain, dockerfile);
  } finally {
    await removeBuilders(builder);
  }
}

/** Gives an image its lineage labels and tags: a metadata-only build FROM it. */
async function label(b: RoleBuild, image: string, hash: string, tool: string, tags: string[]): Promise<Lineage> {
  const { role, version } = b;
  const labels: Record<string, string> = {
    [LABEL.role]: role,
    [LABEL.version]: version.name,
    [LABEL.base]: b.base,
    [LABEL.hash]: hash,
    [LABEL.ref]: b.origin.ref,
    [LABEL.commit]: b.origin.commit,
    [LABEL.dirty]: String(b.origin.dirty),
    [LABEL.baseId]: b.baseImage.id,
    [LABEL.baseBuilt]: b.baseImage.built,
    [LABEL.basePackages]: b.baseImage.basePackages,
    [LABEL.tool]: tool,
    [LABEL.shakedown]: shakedownVersion(),
    [LABEL.built]: new Date().toISOString(),
  };
  // The bake's builder label stays on the image unless emptied: containers launched from it are no builders.
  labels[BUILDER_LABEL] = '';
  const args = ['build', '-q', ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), ...tags.flatMap((t) => ['-t', t]), '-'];
  await run('docker', args, (code, tail) => `labelling ${tags[0]} failed (exit ${code}): ${lastLines(tail, 3)}`, `FROM ${image}\n`);
  return (await inspectLineage(tags[0]!))!;
}

/** The converge tool's version: its Debian packages' versions, or the shell's when it brings none. */
async function toolVersion(p: Project, image: string): Promise<string> {
  const query = p.converge.packages.length
    ? `dpkg-query -W -f '\${Package}=\${Version} ' ${p.converge.packages.join(' ')}`
    : 'echo "bash=$(dpkg-query -W -f "\\${Version}" bash)"';
  const args = ['run', '--rm', '--label', `${LABEL.project}=${p.name}`, '--label', `${BUILDER_LABEL}=${builderValue()}`, '--network', 'none', '--entrypoint', '/bin/sh', image, '-c', query];
  const out = await run('docker', args, (code, tail) => `reading the converge tool's version in ${image} failed (exit ${code}): ${lastLines(tail, 3)}`);
  return out.trim().slice(0, 200) || 'unknown';
}
