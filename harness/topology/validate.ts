import { BadInputError } from '../errors.js';
import { parseConfig } from '../config-file.js';
import type { BaseName } from '../project/schema.js';
import { topologySchema, type Topology } from './schema.js';

/** What the project offers, so a topology can be checked against it before anything is created. */
export interface Catalog {
  images: readonly string[];
  defects: readonly string[];
  /** The first is the default version. */
  versions: readonly string[];
  /** The first is the default base. */
  bases: readonly BaseName[];
}

/** Parses and checks a topology; throws a one-line BadInputError naming the field. */
export function validateTopology(raw: unknown, catalog: Catalog, source: string): Topology {
  const parsed = parseConfig(topologySchema, raw, `topology ${source}`);
  const topology = { ...parsed, version: parsed.version ?? catalog.versions[0]!, base: (parsed.base ?? catalog.bases[0]!) as BaseName };
  const fail = (field: string, problem: string) => {
    throw new BadInputError(`topology ${source}: ${field}: ${problem}`);
  };
  if (!catalog.versions.includes(topology.version)) fail('version', `unknown version '${topology.version}' (the project's: ${catalog.versions.join(', ')})`);
  if (!catalog.bases.includes(topology.base)) fail('base', `unknown base '${topology.base}' (the project's: ${catalog.bases.join(', ')})`);
  const roles = Object.keys(topology.roles);
  const bastion = topology.roles[topology.bastion];
  if (!bastion) fail('bastion', `names role '${topology.bastion}', which is not under roles (roles: ${roles.join(', ')})`);
  if (bastion!.count !== 1) fail(`roles.${topology.bastion}.count`, 'the bastion role must have exactly 1 server');
  if (bastion!.publish.length === 0) fail(`roles.${topology.bastion}.publish`, 'the bastion must publish its SSH port, e.g. [22]');
  for (const [roleName, role] of Object.entries(topology.roles)) {
    if (!catalog.images.includes(role.image)) {
      fail(`roles.${roleName}.image`, `unknown image '${role.image}' (known: ${catalog.images.join(', ')})`);
    }
    if (roleName !== topology.bastion && role.publish.length > 0) {
      fail(`roles.${roleName}.publish`, 'only the bastion publishes ports; other servers are reached through it');
    }
    const paths = role.volumes.map((v) => v.path);
    if (new Set(paths).size !== paths.length) fail(`roles.${roleName}.volumes`, 'two volumes share a mount path');
    role.invariants.forEach((inv, i) => {
      if (role.invariants.findIndex((o) => o.name === inv.name) < i) fail(`roles.${roleName}.invariants.${i}.name`, `'${inv.name}' is used twice; invariant names must be unique within a role`);
    });
  }
  topology.defects.forEach((d, i) => {
    if (!catalog.defects.includes(d)) fail(`defects.${i}`, unknownDefect(d, catalog));
  });
  return topology;
}

/** Checks defects named with --defect, reporting them against the flag rather than a topology file. */
export function validateDefectFlags(names: readonly string[], catalog: Catalog): void {
  const unknown = names.find((d) => !catalog.defects.includes(d));
  if (unknown !== undefined) throw new BadInputError(`--defect ${unknown}: ${unknownDefect(unknown, catalog)}`);
}

const unknownDefect = (name: string, catalog: Catalog) => `unknown defect '${name}' (known: ${catalog.defects.join(', ')})`;

/** Server names: `bastion` for the bastion, `ROLE-1`, `ROLE-2`… for the rest. */
export function serverNames(topology: Topology): { name: string; role: string }[] {
  return Object.entries(topology.roles).flatMap(([role, spec]) =>
    Array.from({ length: spec.count }, (_, i) => ({ name: role === topology.bastion ? role : `${role}-${i + 1}`, role })),
  );
}
