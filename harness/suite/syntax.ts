import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { BadInputError } from '../errors.js';

/**
 * Suites are loaded without a build step, so one that does not compile would only fail once its
 * environment is up: check every file before anything is created.
 */
export function checkSyntax(files: readonly string[]): void {
  for (const file of files) {
    const ext = path.extname(file).slice(1);
    try {
      transformSync(readFileSync(file, 'utf8'), { loader: ext === 'mts' ? 'ts' : (ext as 'ts' | 'js'), format: 'esm', sourcefile: file, logLevel: 'silent' });
    } catch (error) {
      const e = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
      const where = e?.location ? `:${e.location.line}:${e.location.column + 1}` : '';
      throw new BadInputError(`${path.relative(process.cwd(), file)}${where}: does not compile: ${e?.text ?? (error as Error).message.split('\n')[0]}`);
    }
  }
}
