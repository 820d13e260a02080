import type { FileInfo, Server } from '../../environment/server.js';
import { assertNone } from './failure.js';

export interface FileExpectation {
  owner?: string;
  group?: string;
  /** Octal, e.g. '640'. */
  mode?: string;
  type?: 'regular file' | 'directory' | 'symbolic link';
  /** Every pattern must match the content. */
  contains?: (string | RegExp)[];
  /** No pattern may match the content. */
  lacks?: (string | RegExp)[];
  /** Match comment lines too (default: a line commented out is not there). */
  comments?: boolean;
  /** What starts a comment line after optional blanks (default: `#` and `;`). */
  commentPrefixes?: string[];
}

const COMMENT_PREFIXES = ['#', ';'];

/** The content without its comment lines: a required directive that is commented out is not in force. */
export function uncommented(content: string, prefixes: string[] = COMMENT_PREFIXES): string {
  return content.split('\n').filter((l) => !prefixes.some((p) => l.trimStart().startsWith(p))).join('\n');
}

const matches = (content: string, p: string | RegExp) => (typeof p === 'string' ? content.includes(p) : p.test(content));

export function evaluateFile(info: FileInfo | undefined, content: string | undefined, want: FileExpectation): string[] {
  if (!info) return ['does not exist'];
  const problems: string[] = [];
  // stat drops leading zeros ('0' for 000, '44' for 044): compare the numbers, show three digits.
  const norm = (m: string) => (parseInt(m, 8) & 0o7777).toString(8).padStart(3, '0');
  if (want.type && info.type !== want.type) problems.push(`is a ${info.type}, expected a ${want.type}`);
  if (want.owner && info.owner !== want.owner) problems.push(`owner is ${info.owner}, expected ${want.owner}`);
  if (want.group && info.group !== want.group) problems.push(`group is ${info.group}, expected ${want.group}`);
  if (want.mode && norm(info.mode) !== norm(want.mode)) problems.push(`mode is ${info.mode}, expected ${norm(want.mode)}`);
  const text = want.comments ? content ?? '' : uncommented(content ?? '', want.commentPrefixes);
  const onlyCommented = (p: string | RegExp) => (text !== content && matches(content ?? '', p) ? ' (only in a comment line)' : '');
  for (const p of want.contains ?? []) if (!matches(text, p)) problems.push(`content lacks ${p}${onlyCommented(p)}`);
  for (const p of want.lacks ?? []) if (matches(text, p)) problems.push(`content has ${p}`);
  return problems;
}

/** The file exists with the owner, mode and content declared. */
export async function expectFile(server: Server, path: string, want: FileExpectation = {}): Promise<void> {
  const info = await server.file(path);
  const needsContent = info && (want.contains?.length || want.lacks?.length);
  const content = needsContent ? await server.get(path) : undefined;
  assertNone(server.name, `file ${path}`, evaluateFile(info, content, want));
}
