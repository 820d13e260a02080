const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * The tasks an Ansible run changed, from its output: each `changed:` line belongs to the TASK or
 * RUNNING HANDLER header above it. A recap that counts changes no line names still counts.
 */
export function ansibleChanges(output: string): string[] {
  const changed: string[] = [];
  let task = '?';
  let counted = 0;
  for (const line of output.replace(ANSI, '').split('\n')) {
    const header = /^(?:TASK|RUNNING HANDLER) \[(.+?)\]/.exec(line);
    if (header) task = header[1]!;
    else if (/^changed: \[/.test(line) && !changed.includes(task)) changed.push(task);
    const recap = /\schanged=(\d+)/.exec(line);
    if (recap && /^\S+\s+:\s+ok=/.test(line)) counted += Number(recap[1]);
  }
  return counted > 0 && !changed.length ? [`${counted} change(s) in the play recap`] : changed;
}

/**
 * The resources a Puppet run changed: with --detailed-exitcodes, exit 2 means it changed
 * something, and each change is a `Notice: /Stage[main]/…/Type[title]/property: …` line.
 */
export function puppetChanges(output: string, code: number): string[] {
  if (code !== 2) return [];
  const resources: string[] = [];
  for (const line of output.replace(ANSI, '').split('\n')) {
    const m = /^Notice: (\/Stage\[.*?\])(?:\/[a-z_]+)?: /.exec(line);
    const resource = m && /([A-Z][\w:]*\[[^\]]*\])[^[]*$/.exec(m[1]!)?.[1];
    if (resource && !resources.includes(resource)) resources.push(resource);
  }
  return resources.length ? resources : ['exit code 2 (changes applied)'];
}

/** A project's own command prints what changed, one per line; nothing printed means nothing changed. */
export const commandChanges = (printed: string) => printed.split('\n').map((l) => l.trim()).filter(Boolean);
