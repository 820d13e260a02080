import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { platformDir } from '../../harness/images/catalog.js';

const phase = z
  .object({
    roles: z.array(z.string()).min(1),
    serial: z.boolean().default(true),
    before: z.string().optional(),
    after: z.string().optional(),
  })
  .strict();

/** The platform's own, declarative upgrade procedure: images/platform/upgrade.json. */
export const procedureSchema = z.object({ from: z.string(), to: z.string(), phases: z.array(phase).min(1) }).strict();
export type Procedure = z.output<typeof procedureSchema>;

export function readProcedure(): Procedure {
  return procedureSchema.parse(JSON.parse(readFileSync(path.join(platformDir, 'upgrade.json'), 'utf8')));
}
