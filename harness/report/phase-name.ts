import type { UnitReport } from '../run/results.js';

/**
 * What reports call one phase of a unit. A plain suite's unit has one phase named after the
 * suite, so the unit's name says it all: "functional/backup-restore". A lifecycle unit's phases
 * read after the unit, without repeating it: "reboot › before", "reboot › action",
 * "reboot › build after reboot".
 */
export function phaseName(unit: Pick<UnitReport, 'unit' | 'suite'>, phase: string): string {
  if (phase === unit.suite || phase === unit.unit) return unit.unit;
  const own = `${unit.suite}: `;
  return `${unit.unit} › ${phase.startsWith(own) ? phase.slice(own.length) : phase}`;
}
