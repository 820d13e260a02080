import type { Server } from '../../environment/server.js';
import { applyFault, type Fault } from './fault.js';

/** Where a fault keeps what it changed, to put it back. */
const SAVED = '/var/lib/shakedown/fault-state';

/**
 * Breaks a server's name resolution: /etc/resolv.conf names a resolver nobody runs, and
 * /etc/hosts keeps only localhost and the server's own name (so sudo and the server itself still
 * know who they are). Both files are rewritten in place (a container's are bind mounts), and
 * revert writes the originals back.
 */
export async function breakResolution(server: Server): Promise<Fault> {
  return applyFault(server, {
    what: 'break name resolution',
    apply: async (id) => {
      await server.must(
        [
          `mkdir -p ${SAVED}/${id}`,
          `cat /etc/resolv.conf > ${SAVED}/${id}/resolv.conf`,
          `cat /etc/hosts > ${SAVED}/${id}/hosts`,
          `printf 'nameserver 127.0.0.254\\noptions timeout:1 attempts:1\\n' > /etc/resolv.conf`,
          `grep -wE "localhost|$(hostname)" ${SAVED}/${id}/hosts > /etc/hosts || true`,
        ].join(' && '),
      );
    },
    revert: async (id) => {
      await server.must(
        `if [ -d ${SAVED}/${id} ]; then cat ${SAVED}/${id}/resolv.conf > /etc/resolv.conf && cat ${SAVED}/${id}/hosts > /etc/hosts && rm -rf ${SAVED}/${id}; fi`,
      );
    },
  });
}
