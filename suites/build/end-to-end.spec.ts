import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';

const env = environment();
const lb = () => `http://${env.servers('lb')[0]!.name}`;

describe('end to end through the load balancer, from the bastion', () => {
  it('answers health checks', async () => {
    await expectHttp(env.bastion, `${lb()}/health`, { status: 200, body: /ok/ });
  });

  it('spreads requests over every web node', async () => {
    const served = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const r = await expectHttp(env.bastion, `${lb()}/`, { status: 200, body: /example platform/ });
      served.add(r.headers['x-served-by'] ?? '?');
    }
    assert.deepEqual([...served].sort(), env.servers('web').map((s) => s.name).sort(), 'not every web node served a request');
  });

  it('writes a note through LB, web and DB, and reads it back', async () => {
    const text = `build-suite-${Date.now()}`;
    await expectHttp(env.bastion, `${lb()}/notes`, { status: 201 }, { method: 'POST', data: text });
    await expectHttp(env.bastion, `${lb()}/notes`, { status: 200, body: text });
  });
});
