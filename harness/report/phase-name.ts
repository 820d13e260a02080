import { launchedFromBase, type UnitReport } from '../run/results.js';

/**
 * What reports call one phase of a unit. A plain suite's unit has one phase named after the
 * suite, so the unit's name says it all: "functional/backup-restore". A lifecycle unit's phases
 * read after the unit, without repeating it: "reboot › before", "reboot › action",
 * "reboot › build after reboot".
 */
export function phaseName(unit: Pick<UnitReport, 'unit' | 'suite'> & { topology?: string }, phase: string): string {
  // A unit run on servers launched from the base image says so, beside the same unit on prebuilt images.
  const name = unit.topology && launchedFromBase(unit.topology) ? `${unit.unit} (from base)` : unit.unit;
  if (phase === unit.suite || phase === unit.unit) return name;
  const own = `${unit.suite}: `;
  return `${name} › ${phase.startsWith(own) ? phase.slice(own.length) : phase}`;
}
