import type { Server } from 'shakedown';

const STOP = '/tmp/shakedown-load-stop';

/**
 * Requests through the LB from the bastion, one every 50 ms, until stopped (bounded: at most
 * 10 minutes' worth). Returns a function that stops it and yields the status codes seen.
 */
export function startLoad(bastion: Server, url: string): () => Promise<Map<string, number>> {
  const loop = `rm -f ${STOP}; i=0; while [ ! -e ${STOP} ] && [ $i -lt 12000 ]; do curl -s -o /dev/null --max-time 5 -w '%{http_code}\\n' ${url}; i=$((i+1)); sleep 0.05; done`;
  const running = bastion.sh(loop, { timeoutMs: 11 * 60_000 });
  return async () => {
    await bastion.sh(`touch ${STOP}`);
    const r = await running;
    const codes = new Map<string, number>();
    for (const c of r.stdout.split('\n').filter(Boolean)) codes.set(c, (codes.get(c) ?? 0) + 1);
    return codes;
  };
}
