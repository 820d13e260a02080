import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import { BadInputError } from './errors.js';

/** One zod issue as `path: problem`, or `unknown key 'x'` for a key that does not belong. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const at = issue.path.length ? `${path}: ` : '';
    return `${at}unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return `${path}: ${issue.message}`;
}

/** The issue to report: a key that does not belong first (it explains the missing one that follows), else the first. */
export function mainIssue(error: z.ZodError): z.core.$ZodIssue {
  return error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
}

/** Checks `raw` against `schema`; the first problem is one BadInputError line, `where: key: problem`. */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadInputError(`${where}: ${describeIssue(mainIssue(parsed.error))}`);
  return parsed.data;
}

/** A YAML file's content; a syntax error is one BadInputError line. */
export function readYaml(file: string, where: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BadInputError(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A JSON file's content; a syntax error is one BadInputError line. */
export function readJson(file: string, where: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BadInputError(`${where}: not valid JSON: ${(error as Error).message}`);
  }
}
