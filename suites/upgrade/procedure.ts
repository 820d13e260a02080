import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { project } from 'shakedown';

const phase = z
  .object({
    roles: z.array(z.string()).min(1),
    serial: z.boolean().default(true),
    before: z.string().optional(),
    after: z.string().optional(),
  })
  .strict();

/** The platform's own, declarative upgrade procedure: `upgrade:` in its project file. */
export const procedureSchema = z.object({ phases: z.array(phase).min(1) }).strict();
export type Procedure = z.output<typeof procedureSchema>;

export function readProcedure(): Procedure {
  return procedureSchema.parse(JSON.parse(readFileSync(project().upgrade, 'utf8')));
}
