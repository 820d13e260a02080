import { z } from 'zod';
import { BadInputError } from '../errors.js';
import { topologySchema, type Topology } from './schema.js';

/** What the platform offers, so a topology can be checked against it before anything is created. */
export interface Catalog {
  images: readonly string[];
  defects: readonly string[];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const at = issue.path.length ? `${path}: ` : '';
    return `${at}unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return `${path}: ${issue.message}`;
}

/** Parses and checks a topology; throws a one-line BadInputError naming the field. */
export function validateTopology(raw: unknown, catalog: Catalog, source: string): Topology {
  const parsed = topologySchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new BadInputError(`topology ${source}: ${describeIssue(first)}`);
  }
  const topology = parsed.data;
  const fail = (field: string, problem: string) => {
    throw new BadInputError(`topology ${source}: ${field}: ${problem}`);
  };
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

/** Server names: `bastion` for a single server, `web-1`, `web-2` for several. */
export function serverNames(topology: Topology): { name: string; role: string }[] {
  return Object.entries(topology.roles).flatMap(([role, spec]) =>
    Array.from({ length: spec.count }, (_, i) => ({ name: role === topology.bastion ? role : `${role}-${i + 1}`, role })),
  );
}
