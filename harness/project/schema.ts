import { z } from 'zod';
import { awsSettingsSchema } from '../provider/aws/settings.js';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes');
const relPath = z.string().regex(/^[^/\0][^\0]*$/, 'must be a path relative to the project file');
const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a shell variable name');
const nonBlank = z.string().regex(/\S/, 'must not be empty');

/** The bases Shakedown ships: a debootstrap recipe per Debian release. */
export const BUILT_IN_BASES = { 'debian-12': 'bookworm', 'debian-13': 'trixie' } as const;
export type BaseName = keyof typeof BUILT_IN_BASES;
const base = z.enum(Object.keys(BUILT_IN_BASES) as [BaseName, ...BaseName[]], {
  error: () => `must be a base Shakedown ships: ${Object.keys(BUILT_IN_BASES).join(', ')}`,
});

/** How the converge tool says a run changed something: the idempotence suite reads it. */
const changes = z.union([z.enum(['ansible', 'puppet']), z.object({ command: nonBlank }).strict()], {
  error: () => "must be 'ansible', 'puppet' or { command: ... } (a command that reads the converge's output and prints what changed)",
});

const converge = z
  .object({
    /** The folder of configuration code, uploaded to every server (baked into images, or over SSH). */
    source: relPath,
    /** Debian packages the image needs to run the tool, installed before the first converge. */
    packages: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'must be a Debian package name')).default([]),
    /** Run as root in the uploaded folder, with SHAKEDOWN_ROLE, _VERSION, _DEFECTS and _BAKING set. */
    command: nonBlank,
    changes: changes.optional(),
    /**
     * A folder pattern with {role}, such as roles/{role}: files under another role's folder do not
     * count towards a role image's recipe, so a change there rebuilds that role only.
     */
    role_dir: z.string().regex(/^[^/\0][^\0]*\{role\}[^\0]*$/, 'must be a relative path containing {role}, such as roles/{role}').optional(),
  })
  .strict();

/** An image set's origin: a git ref of the project's repository and the version its converge gets. */
const channel = z
  .object({
    ref: z.string().regex(/^[^\s-][^\s]*$/, 'must be a git ref: a branch, a tag or a commit').default('HEAD'),
    version: name.optional(),
  })
  .strict();
/** production, development or branch-NAME: the project file's keys, --channel, --upgrade-from/-to. */
export const CHANNEL_NAME = /^(production|development|branch-[a-z0-9][a-z0-9._-]{0,40})$/;
const channels = z.record(z.string(), channel).superRefine((v, ctx) => {
  for (const key of Object.keys(v)) {
    if (!CHANNEL_NAME.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: "must be 'production', 'development' or 'branch-NAME'" });
  }
});

const versions = z.union([
  z.array(name).min(1, 'must name at least one version'),
  z.record(name, z.record(varName, z.union([z.string(), z.number(), z.boolean()]))).refine((v) => Object.keys(v).length > 0, 'must name at least one version'),
]);

/** `shakedown.yml`: what an infrastructure repository asks of Shakedown. */
export const projectSchema = z
  .object({
    name,
    description: z.string().optional(),
    /** The first is the default; more qualify the project on several bases. */
    base: z.union([base, z.array(base).min(1)]).default('debian-12'),
    /** The roles images are baked for; topologies pick their servers' images among them. */
    roles: z.array(name).min(1, 'must name at least one role'),
    /** Version names (the first is production, the default) and the variables each gives the converge command. */
    versions: versions.default(['current']),
    converge,
    stacks: relPath.default('stacks'),
    suites: relPath.default('suites'),
    upgrade: relPath.default('upgrade.json'),
    defects: relPath.default('defects.json'),
    /** Where environments run unless `--provider` says otherwise. */
    provider: z.enum(['docker', 'aws']).default('docker'),
    /** Region, instance types, SSH CIDR, VPC and backend for `--provider aws`. */
    aws: awsSettingsSchema.optional(),
    /** Where each channel's images are built from (defaults: HEAD, production at the first version, development at the last). */
    channels: channels.default({}),
  })
  .strict();

export type ProjectInput = z.input<typeof projectSchema>;
export type ProjectFile = z.output<typeof projectSchema>;
export type Changes = z.output<typeof changes>;
