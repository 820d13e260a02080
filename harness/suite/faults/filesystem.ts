import { BadInputError } from '../../errors.js';
import { shellQuote, type Server } from '../../environment/server.js';
import { applyFault, requireTools, type Fault } from './fault.js';

/**
 * Fills the file system holding `dir` with one preallocated file in it, leaving `leaveBytes`
 * free; revert removes the file.
 */
export async function fillFilesystem(server: Server, dir: string, opts: { leaveBytes?: number } = {}): Promise<Fault> {
  const leave = opts.leaveBytes ?? 0;
  if (!Number.isInteger(leave) || leave < 0) throw new BadInputError(`fillFilesystem: leaveBytes must be a whole number of bytes, got ${leave}`);
  const what = `fill the file system of ${dir}`;
  await requireTools(server, what, ['fallocate', 'df']);
  const q = shellQuote(dir);
  if (!(await server.sudo(`test -d ${q}`)).ok) throw new BadInputError(`${server.name}: cannot ${what}: no such directory`);
  const file = (id: string) => shellQuote(`${dir.replace(/\/+$/, '')}/.shakedown-fill-${id}`);
  return applyFault(server, {
    what,
    apply: async (id) => {
      const avail = Number((await server.must(`df --output=avail -B1 ${q} | tail -n 1`)).trim());
      if (avail - leave > 0) await server.must(`fallocate -l ${avail - leave} ${file(id)}`);
    },
    revert: async (id) => void (await server.must(`rm -f ${file(id)}`)),
  });
}
