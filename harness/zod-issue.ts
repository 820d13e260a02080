import type { z } from 'zod';

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
