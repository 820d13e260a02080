import { BadInputError } from '../../errors.js';
import { shellQuote, type Server } from '../../environment/server.js';
import { applyFault, type Fault } from './fault.js';

async function requireActive(server: Server, unit: string, fault: string): Promise<void> {
  const r = await server.sudo(`systemctl is-active ${shellQuote(unit)}`);
  if (!r.ok) throw new BadInputError(`${server.name}: cannot ${fault}: the unit is ${r.stdout.trim() || 'unknown'}, not active (name a running systemd unit)`);
}

/** Stops one systemd unit and leaves the rest running; revert starts it again. */
export async function stopService(server: Server, unit: string): Promise<Fault> {
  const what = `stop ${unit}`;
  await requireActive(server, unit, what);
  const q = shellQuote(unit);
  return applyFault(server, {
    what,
    apply: async () => void (await server.must(`systemctl stop ${q}`)),
    revert: async () => void (await server.must(`systemctl start ${q}`)),
  });
}

/**
 * Freezes every process of a systemd unit with SIGSTOP: it still holds its ports and looks alive
 * to systemd, but answers nothing. Revert sends SIGCONT.
 */
export async function freezeService(server: Server, unit: string): Promise<Fault> {
  const what = `freeze ${unit}`;
  await requireActive(server, unit, what);
  const q = shellQuote(unit);
  return applyFault(server, {
    what,
    apply: async () => void (await server.must(`systemctl kill --signal=SIGSTOP ${q}`)),
    revert: async () => void (await server.must(`systemctl kill --signal=SIGCONT ${q}`)),
  });
}
