import { type Server, environment, httpFrom } from 'shakedown';

/** Helpers the platform's suites share: how to reach its load balancer and its database. */
export const lbUrl = (path = '/') => `http://${environment().servers('lb')[0]!.name}${path}`;

/** Runs SQL on the database server itself, as postgres. */
export async function sql(db: Server, query: string): Promise<string> {
  return (await db.must(`cd / && runuser -u postgres -- psql -d platform -tAc ${JSON.stringify(query)}`)).trim();
}

/**
 * Sends `count` requests through the LB from the bastion, 8 at a time (a broken LB may hold each
 * failing request for seconds); returns the status codes seen, '000' for no answer.
 */
export async function hammer(count: number, path = '/', method = 'GET'): Promise<Map<string, number>> {
  const env = environment();
  const data = method === 'POST' ? `--data-binary load-{}` : '';
  const r = await env.bastion.must(
    `seq ${count} | xargs -P 8 -I{} curl -s -o /dev/null --max-time 5 -X ${method} ${data} -w '%{http_code}\\n' ${lbUrl(path)}`,
    { timeoutMs: 180_000 },
  );
  const codes = new Map<string, number>();
  for (const c of r.split('\n').filter(Boolean)) codes.set(c, (codes.get(c) ?? 0) + 1);
  return codes;
}

export const describeCodes = (codes: Map<string, number>) => [...codes].map(([c, n]) => `${n}×${c}`).join(', ');

/** Polls until `probe` holds, or throws after `ms` with `what`. */
export async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** True once the LB has sent a request to `server` (it serves again). */
export async function servesAgain(server: string): Promise<boolean> {
  for (let i = 0; i < 6; i++) {
    const r = await httpFrom(environment().bastion, lbUrl('/'));
    if (r?.status === 200 && r.headers['x-served-by'] === server) return true;
  }
  return false;
}

/** Sends `count` requests through the LB from the bastion, 8 at a time: each answer's status and the web node that served it ('' if none said). */
export async function servedBy(count: number): Promise<{ code: string; node: string }[]> {
  const r = await environment().bastion.must(
    `seq ${count} | xargs -P 8 -I{} curl -s -o /dev/null --max-time 5 -w '%{http_code} %header{x-served-by}\\n' ${lbUrl('/')}`,
    { timeoutMs: 180_000 },
  );
  return r.split('\n').filter(Boolean).map((l) => {
    const [code, node = ''] = l.trim().split(' ');
    return { code: code!, node };
  });
}

/** The services a role's invariants say must run (`systemctl is-active --quiet UNIT`): its components. */
export function componentsOf(role: string): string[] {
  const invariants = environment().topology.roles[role]?.invariants ?? [];
  return invariants.flatMap((i) => /^systemctl is-active --quiet (\S+)$/.exec(i.command)?.[1] ?? []);
}
