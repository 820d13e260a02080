import { z } from 'zod';
import type { BaseName } from '../project/schema.js';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes');

const volume = z
  .object({
    name,
    path: z.string().regex(/^\/[^\0]*$/, 'must be an absolute path'),
  })
  .strict();

const nonBlank = z.string().regex(/\S/, 'must not be empty');

/** A fact about a healthy server of the role: a shell command, run as root, that exits 0. */
const invariant = z
  .object({
    name: nonBlank,
    command: nonBlank,
  })
  .strict();

const role = z
  .object({
    image: name,
    count: z.number().int().min(1, 'must be at least 1').max(16, 'must be at most 16'),
    volumes: z.array(volume).default([]),
    publish: z.array(z.number().int().min(1).max(65535)).default([]),
    /** Checked by the health gate after every unit: a server that breaks one is replaced. */
    invariants: z.array(invariant).default([]),
  })
  .strict();

/** A declarative server set: which roles, how many of each, from which image, with which volumes. */
export const topologySchema = z
  .object({
    name,
    description: z.string().optional(),
    /** One of the project's versions; its first (production) when absent. */
    version: name.optional(),
    /** One of the project's bases; its first when absent (`--base` overrides). */
    base: name.optional(),
    bastion: name,
    roles: z.record(name, role).refine((r) => Object.keys(r).length > 0, 'must name at least one role'),
    defects: z.array(z.string()).default([]),
  })
  .strict();

export type TopologyInput = z.input<typeof topologySchema>;
/** A validated topology: its version resolved against the project's. */
export type Topology = Omit<z.output<typeof topologySchema>, 'version' | 'base'> & {
  version: string;
  base: BaseName;
  /** prebuilt (default): each server from its role image; base: from the base image, converged at launch. */
  from?: 'prebuilt' | 'base';
  /** `role:version` → tag, when a run uses images of a ref or a channel instead of the working tree's. */
  images?: Record<string, string>;
  /** For an upgrade suite: the version it upgrades to (default: the project's last). */
  upgradeTo?: string;
};
export type RoleSpec = z.output<typeof role>;
export type VolumeSpec = z.output<typeof volume>;
export type Invariant = z.output<typeof invariant>;
