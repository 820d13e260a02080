import path from 'node:path';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { convergeEnv, okCodesOf } from '../../environment/converge.js';
import { newEnvId, newRunId } from '../../environment/ids.js';
import { buildSource, type BuildOptions } from '../../images/build.js';
import { immutableTag, roleTag } from '../../images/catalog.js';
import { recipeHash } from '../../images/recipe.js';
import { otherRolesFiles } from '../../images/role-build.js';
import { shakedownVersion } from '../../images/version.js';
import { info } from '../../log.js';
import { recipesDir } from '../../paths.js';
import type { Project, Version } from '../../project/index.js';
import type { BaseName } from '../../project/schema.js';
import { generateRunKey, type KeyPair } from '../../ssh/keys.js';
import type { Owner } from '../labels.js';
import { bakeAmi, bakedWithHash, type ConvergeBuilder } from './bake.js';
import { baseAmi, type BaseAmi } from './base-ami.js';
import { builderUserData, sshConverge, type BuilderRecipe } from './builder-converge.js';
import { ec2Client } from './ec2.js';
import type { AmiLineage } from './images.js';
import { instanceTypeOf, type AwsSettings } from './settings.js';

/** How long a builder's objects live if this process dies: the janitor removes them after. */
const BAKE_EXPIRY_MS = 3 * 3_600_000;

export interface AmiReport {
  image: string;
  ami: string;
  built: boolean;
  ms: number;
  lineage: AmiLineage;
  /** Not baked again: an AMI with the same recipe exists (from this or another commit). */
  sameAs?: string;
}

export interface AmiBuildOptions extends Pick<BuildOptions, 'force' | 'bases' | 'ref' | 'refName' | 'versions'> {
  ec2?: EC2Client;
  /** The converge of a builder: over SSH unless a test brings its own. */
  converge?: (recipe: BuilderRecipe) => ConvergeBuilder;
}

/**
 * Bakes an AMI for every role and version whose recipe hash has none yet, as `images build` bakes
 * Docker images. The base AMIs are found first: a wrong one stops the build before anything exists.
 */
export async function buildAmis(settings: AwsSettings, opts: AmiBuildOptions = {}): Promise<AmiReport[]> {
  const { p, origin, versions } = buildSource(opts);
  const ec2 = opts.ec2 ?? ec2Client(settings);
  const bases = opts.bases ?? p.bases;
  const from = new Map<BaseName, BaseAmi>();
  for (const base of bases) from.set(base, await baseAmi(ec2, base, settings.region, settings.baseAmi));
  const run = newRunId();
  const key = generateRunKey(`shakedown-bake-${run}`);
  const reports: AmiReport[] = [];
  for (const base of bases) {
    for (const version of versions) {
      for (const role of p.roles) {
        const lineage = roleLineage(p, origin, base, version, role, from.get(base)!);
        const existing = opts.force ? undefined : await bakedWithHash(ec2, p.name, lineage.hash);
        if (existing) {
          const same = existing.lineage.commit === origin.commit && existing.lineage.dirty === origin.dirty;
          reports.push({ image: lineage.image, ami: existing.id, built: false, ms: 0, lineage: existing.lineage, ...(!same && { sameAs: existing.lineage.immutable }) });
          continue;
        }
        reports.push(await bake(ec2, settings, { p, run, key, base, version, role, lineage, from: from.get(base)!, converge: opts.converge }));
      }
    }
  }
  return reports;
}

type RoleLineage = Omit<AmiLineage, 'tool' | 'built' | 'baseAmi'>;

function roleLineage(p: Project, origin: { ref: string; commit: string; dirty: boolean }, base: BaseName, version: Version, role: string, from: BaseAmi): RoleLineage {
  const env = convergeEnv(role, version, [], true);
  const overlay = path.join(recipesDir, 'base', 'rootfs-overlay');
  const hash = recipeHash([p.converge.source, overlay], ['ami', from.id, p.converge.command, p.converge.packages.join(','), JSON.stringify(env)], otherRolesFiles(p, role));
  return {
    image: roleTag(role, version.name, base, p.name), immutable: immutableTag(role, version.name, base, origin, hash, p.name),
    project: p.name, role, version: version.name, base, hash, ref: origin.ref, commit: origin.commit, dirty: origin.dirty, shakedown: shakedownVersion(),
  };
}

interface RoleBake {
  p: Project;
  run: string;
  key: KeyPair;
  base: BaseName;
  version: Version;
  role: string;
  lineage: RoleLineage;
  from: BaseAmi;
  converge?: (recipe: BuilderRecipe) => ConvergeBuilder;
}

async function bake(ec2: EC2Client, settings: AwsSettings, b: RoleBake): Promise<AmiReport> {
  const ctx = { run: b.run };
  const started = Date.now();
  const owner: Owner = { run: b.run, env: newEnvId(), worker: 0, topology: 'bake', keep: false, expires: new Date(started + BAKE_EXPIRY_MS) };
  const recipe: BuilderRecipe = {
    image: b.lineage.image, source: b.p.converge.source, packages: b.p.converge.packages, command: b.p.converge.command,
    env: convergeEnv(b.role, b.version, [], true), okCodes: okCodesOf(b.p), key: b.key,
  };
  info(ctx, `baking ${b.lineage.immutable} from ${b.from.name} (${b.from.id})`);
  const converge = (b.converge ?? ((r) => sshConverge(ec2, r, ctx)))(recipe);
  const { id, lineage } = await bakeAmi(ec2, {
    owner, image: b.lineage.image, ami: b.from.id, instanceType: instanceTypeOf(settings, b.role), userData: builderUserData(b.key.publicKey),
    settings, lineage: b.lineage, ctx,
  }, converge);
  const ms = Date.now() - started;
  info(ctx, `baked ${lineage.immutable} as ${id} in ${(ms / 1000).toFixed(1)} s`);
  return { image: lineage.image, ami: id, built: true, ms, lineage };
}
