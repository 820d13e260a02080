import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseConfig, readJson } from '../config-file.js';
import { project } from './current.js';

const defectSchema = z
  .object({
    roles: z.array(z.string()).min(1),
    /** The suite that exists to catch it. */
    suite: z.string(),
    symptom: z.string(),
    /** Versions the defect exists in; all when absent. */
    versions: z.array(z.string()).optional(),
  })
  .strict();

/** A known defect of a project, injected by name to prove a suite catches it. */
export type Defect = z.output<typeof defectSchema>;

/** The project's defects file; none when it has no such file. */
export function defects(): Record<string, Defect> {
  const file = project().defects;
  if (!existsSync(file)) return {};
  const where = path.relative(process.cwd(), file) || file;
  return parseConfig(z.record(z.string(), defectSchema), readJson(file, where), where);
}

/** The defects among `names` that a server of `role` carries at `version`. */
export function defectsFor(names: readonly string[], role: string, version: string): string[] {
  const registry = defects();
  return names.filter((d) => registry[d]?.roles.includes(role) && (!registry[d]?.versions || registry[d]!.versions!.includes(version)));
}
