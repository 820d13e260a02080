import path from 'node:path';
import { BadInputError } from '../errors.js';
import { availableSuites, SPEC, suiteFiles, suitePath } from './discover.js';
import { readManifest, type LifecycleMode, type Manifest } from './manifest.js';

/** One thing to do on an environment: run spec files, or perform a lifecycle action. */
export type Step =
  | { kind: 'specs'; suite: string; phase: string; files: string[] }
  | {
      kind: 'action';
      suite: string;
      phase: string;
      action: string;
      /** For the built-in reboot and relaunch: every server at once (the default), or one at a time. */
      mode?: LifecycleMode;
      /** Rounds of a reboot. */
      count?: number;
      /** The suite's `*.between.spec` files, run after each server of a rolling action. */
      between?: string[];
    };

/** A suite expanded into steps, with the topology it needs (if it names one). */
export interface Unit {
  /** What the scheduler and reports call it: "functional/backup-restore", or "reboot". */
  name: string;
  suite: string;
  topology?: string;
  /** Declared in suite.json: the environment is destroyed after this unit. */
  breaks?: string;
  /** Declared in suite.json: the unit runs on an environment no other unit has touched. */
  fresh?: boolean;
  /** Declared in suite.json: it launches on the upgrade's source images. */
  upgrade?: boolean;
  steps: Step[];
}

const isBefore = (f: string) => /\.before\.spec\.\w+$/.test(f);
const isBetween = (f: string) => /\.between\.spec\.\w+$/.test(f);

/**
 * A plain suite is one step. A lifecycle suite S with action A and `then` [T…] is: S's
 * `*.before.spec` files ("S: before"), A ("S: action"), each T again ("T after A"), then S's
 * other spec files ("S: after").
 */
export function planUnit(suite: string, mode?: LifecycleMode, m: Manifest = readManifest(suite)): Unit {
  const files = suiteFiles(suite);
  if (!m.action) return { name: suite, suite, topology: m.topology, breaks: m.breaks, fresh: m.fresh, upgrade: m.upgrade, steps: [{ kind: 'specs', suite, phase: suite, files }] };
  // A suite's own action module reads best under the suite's name: "build after upgrade".
  const after = `after ${m.action.startsWith('./') ? suite : m.action}`;
  const steps: Step[] = [];
  const before = files.filter(isBefore);
  if (before.length) steps.push({ kind: 'specs', suite, phase: `${suite}: before`, files: before });
  const between = files.filter(isBetween);
  steps.push({ kind: 'action', suite, phase: `${suite}: action`, action: m.action, mode, count: m.count, between: mode === 'rolling' && between.length ? between : undefined });
  for (const t of m.then) {
    if (!availableSuites().includes(t)) throw new BadInputError(`${suitePath(suite, 'suite.json')}: then: unknown suite '${t}'`);
    if (readManifest(t).action) throw new BadInputError(`${suitePath(suite, 'suite.json')}: then: '${t}' is itself a lifecycle suite; name plain suites`);
    steps.push({ kind: 'specs', suite: t, phase: `${t} ${after}`, files: suiteFiles(t) });
  }
  const own = files.filter((f) => !isBefore(f) && !isBetween(f));
  if (own.length) steps.push({ kind: 'specs', suite, phase: `${suite}: after`, files: own });
  return { name: suite, suite, topology: m.topology, breaks: m.breaks, fresh: m.fresh, upgrade: m.upgrade, steps };
}

/**
 * The units a scheduler spreads over workers: a plain suite's spec files one by one (they are
 * independent), a lifecycle suite whole (its steps depend on each other). A suite that names
 * several topologies or modes gives one unit (or set of units) for each topology and mode, named
 * after what differs from the plain one: `reboot`, `reboot/rolling`, `reboot@big`,
 * `reboot/rolling@big`. The first topology listed is the one the plain name means.
 */
export function planUnits(suite: string): Unit[] {
  const m = readManifest(suite);
  const topologies = m.topologies ?? [m.topology];
  const modes = m.modes ?? [undefined];
  return topologies.flatMap((topology, t) =>
    modes.flatMap((mode) =>
      split(planUnit(suite, mode, m)).map((u) => ({ ...u, topology, name: `${u.name}${mode && mode !== 'all' ? `/${mode}` : ''}${t > 0 ? `@${topology}` : ''}` })),
    ),
  );
}

function split(whole: Unit): Unit[] {
  const step = whole.steps[0]!;
  if (whole.steps.length > 1 || step.kind !== 'specs' || step.files.length < 2) return [whole];
  return step.files.map((file) => {
    const name = `${whole.suite}/${path.basename(file).replace(SPEC, '')}`;
    return { ...whole, name, steps: [{ ...step, files: [file] }] };
  });
}
