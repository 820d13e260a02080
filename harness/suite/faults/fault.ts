import { randomBytes } from 'node:crypto';
import { BadInputError } from '../../errors.js';
import type { Server } from '../../environment/server.js';
import { currentUnit } from '../context.js';

/**
 * Where a server keeps a note of each fault in place on it, one file per fault (`APPLIED<TAB>WHAT`).
 * On the server's own disk, so the health gate finds a fault a unit left behind, a reboot included.
 */
export const FAULT_DIR = '/var/lib/shakedown/faults';

/** What was done to which server, and when: what the report lists for each unit. */
export interface FaultRecord {
  /** e.g. "stop cron", "cut the network to app-2". */
  what: string;
  server: string;
  appliedAt: string;
  revertedAt?: string;
}

/** A fault in place on a server; `revert()` undoes it (once: later calls are no-ops). */
export interface Fault {
  readonly record: FaultRecord;
  revert(): Promise<void>;
}

/** How a fault is done and undone on one server, as root. */
export interface FaultSteps {
  what: string;
  apply: (id: string) => Promise<void>;
  revert: (id: string) => Promise<void>;
}

/** Every fault applied in this process and not yet reverted (the unit's own are also on its context). */
const inPlace = new Set<AppliedFault>();

class AppliedFault implements Fault {
  readonly record: FaultRecord;
  private reverting?: Promise<void>;

  constructor(
    private readonly server: Server,
    private readonly id: string,
    private readonly steps: FaultSteps,
  ) {
    this.record = { what: steps.what, server: server.name, appliedAt: new Date().toISOString() };
  }

  revert(): Promise<void> {
    this.reverting ??= (async () => {
      await this.steps.revert(this.id);
      await this.server.must(`rm -f ${FAULT_DIR}/${this.id}`);
      this.record.revertedAt = new Date().toISOString();
      inPlace.delete(this);
    })();
    return this.reverting;
  }
}

/**
 * Applies a fault to `server`: first the note the health gate reads, then the fault. A fault that
 * fails to apply is undone as far as it went and leaves no note.
 */
export async function applyFault(server: Server, steps: FaultSteps): Promise<Fault> {
  const id = `f${randomBytes(6).toString('hex')}`;
  const fault = new AppliedFault(server, id, steps);
  const note = `${fault.record.appliedAt}\t${steps.what.replace(/\s+/g, ' ')}\n`;
  await server.mustWithInput(`mkdir -p ${FAULT_DIR} && chmod 0755 ${FAULT_DIR} && cat > ${FAULT_DIR}/${id} && chmod 0644 ${FAULT_DIR}/${id}`, note);
  try {
    await steps.apply(id);
  } catch (error) {
    await steps.revert(id).catch(() => undefined);
    await server.sudo(`rm -f ${FAULT_DIR}/${id}`);
    throw error;
  }
  inPlace.add(fault);
  currentUnit()?.faults.push(fault.record);
  return fault;
}

/** Reverts every fault this process applied (in the current unit, if there is one) that is still in place, newest first. */
export async function revertFaults(): Promise<void> {
  const mine = currentUnit()?.faults;
  const open = [...inPlace].filter((f) => !mine || mine.includes(f.record)).reverse();
  for (const f of open) await f.revert();
}

/** Applies a fault, runs `work` with it in place, and reverts it whatever `work` did. */
export async function withFault<T>(fault: Promise<Fault>, work: (f: Fault) => Promise<T>): Promise<T> {
  const f = await fault;
  try {
    return await work(f);
  } finally {
    await f.revert();
  }
}

/** Throws a one-line error naming the command a fault needs when `server` lacks it. */
export async function requireTools(server: Server, fault: string, tools: string[]): Promise<void> {
  const r = await server.sudo(tools.map((t) => `command -v ${t} >/dev/null || echo ${t}`).join('; '));
  const missing = r.stdout.split('\n').filter(Boolean);
  if (missing.length) throw new BadInputError(`${server.name}: the fault '${fault}' needs ${missing.join(', ')}, which the server's image lacks: install it in the image`);
}

/** The note lines in FAULT_DIR as the health gate reads them (`APPLIED<TAB>WHAT`). */
export const LIST_FAULTS = `find ${FAULT_DIR} -maxdepth 1 -type f -exec cat {} + 2>/dev/null; true`;

/** Parses LIST_FAULTS' output into what is still in place. */
export function parseFaultNotes(stdout: string): { appliedAt: string; what: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const [appliedAt, ...what] = l.split('\t');
      return { appliedAt: appliedAt!, what: what.join(' ').trim() };
    });
}
