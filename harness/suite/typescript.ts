import { register as registerHooks } from 'node:module';

let registered: Promise<void> | undefined;

/**
 * Node's resolve hook that makes a `.ts` or `.tsx` file outside node_modules an ES module. Suites
 * are imported as ES modules, but tsx follows the nearest package.json, and in a repository whose
 * package.json says (or, as `npm init -y` writes, defaults to) "type": "commonjs" it hands the file
 * to Node's CommonJS loader, which then reads the TypeScript untransformed.
 */
export const ESM_TYPESCRIPT_HOOK = `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  return /\\.tsx?$/.test(new URL(r.url).pathname) && !r.url.includes('/node_modules/') ? { ...r, format: 'module' } : r;
}`;

/** Suites may be TypeScript with no build step: tsx's loader compiles them as they are imported. */
export function allowTypeScript(): Promise<void> {
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
    // Registered after tsx, so it runs first and tsx compiles what it returns as ESM.
    registerHooks(`data:text/javascript,${encodeURIComponent(ESM_TYPESCRIPT_HOOK)}`);
  });
  return registered;
}
