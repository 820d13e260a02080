import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * A hash of a recipe: every file's path (relative to its folder), mode and content, plus anything
 * else it depends on; `skip` leaves out files (by relative path) that do not concern it.
 */
export function recipeHash(dirs: string[], extra: string[] = [], skip: (rel: string) => boolean = () => false): string {
  const h = createHash('sha256');
  for (const dir of dirs) {
    for (const file of filesUnder(dir).sort()) {
      const rel = path.relative(dir, file);
      if (skip(rel)) continue;
      h.update(rel).update(String(statSync(file).mode & 0o111)).update(readFileSync(file));
    }
  }
  extra.forEach((e) => h.update(e));
  return h.digest('hex').slice(0, 16);
}
