import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shakedown's own root (where its recipes live), whether running from source or from dist/. */
export const packageRoot = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.includes(`${path.sep}dist${path.sep}`) || here.endsWith(`${path.sep}dist`)
    ? path.resolve(here, '..', '..')
    : path.resolve(here, '..');
})();

/** The recipes Shakedown ships: the debootstrap bases. */
export const recipesDir = path.join(packageRoot, 'recipes');

/** Where kept environments' state lives: per working directory, like Kitchen's .kitchen/. */
export const stateDir = () => path.resolve(process.env.SHAKEDOWN_STATE_DIR ?? '.shakedown');
