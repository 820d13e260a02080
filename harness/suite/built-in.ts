import { BadInputError } from '../errors.js';
import { project } from '../project/index.js';
import type { Manifest } from './manifest.js';

/** Suites every project has without writing them; a folder of the project's own by the same name wins. */
export const builtInManifests: { [suite: string]: () => Manifest } = {
  idempotence: () => {
    if (!project().converge.changes) {
      throw new BadInputError(`suite idempotence: ${project().file} has no converge.changes: say how the tool reports changes (ansible, puppet, or { command: ... })`);
    }
    return { description: 'Converge every server of a fresh environment again: nothing may change.', action: 'idempotence', then: [], fresh: true };
  },
};
