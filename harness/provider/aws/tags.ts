import { LABEL, ownerLabels, type Owner } from '../labels.js';

/** The key every Shakedown resource on EC2 carries: the janitor's sweep filters on it. */
export const RUN_TAG = LABEL.run;

/**
 * The Docker labels as EC2 tags, plus a Name for the console: the same keys, so one janitor
 * verdict (labels.ts) judges containers and instances alike.
 */
export function ownerTags(owner: Owner, name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...ownerLabels(owner), ...extra, Name: `sd-${owner.env}-${name}` };
}

export function serverTags(owner: Owner, server: { name: string; role: string }, what?: string): Record<string, string> {
  return ownerTags(owner, what ? `${server.name}-${what}` : server.name, { [LABEL.server]: server.name, [LABEL.role]: server.role });
}

/** EC2's `Tags` list as a plain record. */
export function tagRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
}
