import assert from 'node:assert/strict';
import { environment, expectHttp } from 'shakedown';
import { lbUrl } from './platform.js';

const IN_SERVICE_WITHIN_MS = 30_000;

/** HAProxy's view of its backend `web`: one `slot address:port STATUS` per server. */
async function backendSlots(): Promise<{ slot: string; ip: string; status: string }[]> {
  const lb = environment().servers('lb')[0]!;
  const csv = await lb.must(`curl -fsS --max-time 2 'http://127.0.0.1:8404/stats;csv'`);
  const [head, ...rows] = csv.split('\n').filter(Boolean);
  const col = Object.fromEntries(head!.replace(/^# /, '').split(',').map((name, i) => [name, i]));
  return rows
    .map((r) => r.split(','))
    .filter((f) => f[col.pxname!] === 'web' && !['FRONTEND', 'BACKEND'].includes(f[col.svname!]!) && f[col.addr!])
    .map((f) => ({ slot: f[col.svname!]!, ip: f[col.addr!]!.split(':')[0]!, status: f[col.status!]! }));
}

/**
 * Every web node is in service: the load balancer checks it at its current address and finds it
 * UP (within 30 s: a node just back takes a check or two), and a request through the LB succeeds.
 */
export async function expectEveryWebNodeInService(): Promise<void> {
  const env = environment();
  const webs = await Promise.all(env.servers('web').map(async (w) => ({ name: w.name, ips: (await w.must('hostname -I')).trim().split(/\s+/) })));
  const deadline = Date.now() + IN_SERVICE_WITHIN_MS;
  for (;;) {
    const slots = await backendSlots();
    const out = webs.filter((w) => !slots.some((s) => w.ips.includes(s.ip) && s.status.startsWith('UP')));
    if (!out.length) break;
    if (Date.now() > deadline) {
      const seen = slots.map((s) => `${s.slot} ${s.ip} ${s.status}`).join(', ') || 'none';
      assert.fail(`${out.map((w) => `${w.name} (${w.ips.join(' ')})`).join(', ')} not UP in the load balancer within ${IN_SERVICE_WITHIN_MS / 1000} s; its web servers: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await expectHttp(env.bastion, lbUrl('/'), { status: 200 });
}
