import { BadInputError } from '../errors.js';
import { resolveSuites } from './discover.js';
import { planUnits, type Unit } from './plan.js';

/** `SUITE[/PART][@TOPOLOGY]`: PART is a plain suite's spec file, or a lifecycle suite's mode (`all` for the plain one). */
interface Pattern {
  entry: string;
  suite: string;
  part?: string;
  topology?: string;
}

function parse(entry: string): Pattern {
  const m = /^([^/@]+)(?:\/([^@]+))?(?:@(.+))?$/.exec(entry);
  if (!m) throw new BadInputError(`--suite: '${entry}' is not SUITE, SUITE/PART or SUITE[/PART]@TOPOLOGY (e.g. reboot/rolling@big)`);
  return { entry, suite: m[1]!, part: m[2], topology: m[3] };
}

/** A unit's part: its mode for a lifecycle unit, its spec file for one file of a plain suite. */
function partOf(u: Unit): string | undefined {
  const action = u.steps.find((s) => s.kind === 'action');
  if (action?.kind === 'action') return action.mode ?? 'all';
  return u.name.startsWith(`${u.suite}/`) ? u.name.slice(u.suite.length + 1).replace(/@.*$/, '') : undefined;
}

const matches = (p: Pattern, u: Unit, defaultTopology: () => string) =>
  u.suite === p.suite && (p.part === undefined || partOf(u) === p.part) && (p.topology === undefined || (u.topology ?? defaultTopology()) === p.topology);

/**
 * The units `--suite` names: `all`, suites (every unit of each), or single units by the name a
 * report gives them (`reboot/rolling@big`, `functional/backup-restore`; `reboot/all@small`
 * for the plain one), so one unit of a many-unit suite can be run on its own.
 */
export function selectUnits(spec: string, defaultTopology: () => string): Unit[] {
  if (spec.trim() === 'all') return resolveSuites('all').flatMap(planUnits);
  const patterns = spec.split(',').map((s) => s.trim()).filter(Boolean).map(parse);
  const suites = resolveSuites([...new Set(patterns.map((p) => p.suite))].join(','));
  const units = suites.flatMap(planUnits);
  for (const p of patterns) {
    if (units.some((u) => matches(p, u, defaultTopology))) continue;
    const names = units.filter((u) => u.suite === p.suite).map((u) => u.name);
    throw new BadInputError(`--suite: no unit of ${p.suite} matches '${p.entry}': use one of ${names.join(', ')}`);
  }
  return units.filter((u) => patterns.some((p) => matches(p, u, defaultTopology)));
}
