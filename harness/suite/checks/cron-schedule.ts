const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];
const SPECIAL = ['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function value(token: string, f: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const i = f.names?.indexOf(token.toLowerCase()) ?? -1;
  return i >= 0 ? i + (f.min === 1 ? 1 : 0) : undefined;
}

function fieldProblem(text: string, f: (typeof FIELDS)[number]): string | undefined {
  for (const part of text.split(',')) {
    const [range = '', step] = part.split('/');
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${f.name} '${text}': bad step`;
    if (range === '*') continue;
    const ends = range.split('-');
    if (ends.length > 2) return `${f.name} '${text}': bad range`;
    for (const end of ends) {
      const v = value(end, f);
      if (v === undefined || v < f.min || v > f.max) return `${f.name} '${text}' is out of range ${f.min}-${f.max}`;
    }
  }
  return undefined;
}

/** Why cron(8) would reject a schedule (it then skips the whole file), or undefined if it is valid. */
export function scheduleProblem(schedule: string): string | undefined {
  if (schedule.startsWith('@')) return SPECIAL.includes(schedule) ? undefined : `'${schedule}' is not a cron keyword`;
  const fields = schedule.split(/\s+/);
  if (fields.length !== 5) return `'${schedule}' has ${fields.length} fields, not 5`;
  for (let i = 0; i < 5; i++) {
    const p = fieldProblem(fields[i]!, FIELDS[i]!);
    if (p) return p;
  }
  return undefined;
}
