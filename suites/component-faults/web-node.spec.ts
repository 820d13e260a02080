import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { environment, faults, revertFaults } from 'shakedown';
import { componentsOf, servedBy, servesAgain, until } from '../platform.js';

const env = environment();
const REQUESTS = 100;
/** The LB checks every second and takes a node out after 2 failures of up to 3 s each. */
const TAKEN_OUT_MS = 20_000;

/** e.g. "12×200 from web-2, 4×502 from web-1". */
const tally = (answers: { code: string; node: string }[]) => {
  const seen = new Map<string, number>();
  for (const a of answers.map((x) => `${x.code}${x.node ? ` from ${x.node}` : ''}`)) seen.set(a, (seen.get(a) ?? 0) + 1);
  return [...seen].map(([k, n]) => `${n}×${k}`).join(', ');
};

// A whole node down is load-balancing.spec.ts; here each component fails alone, the rest of the node running.
describe('load balancing with one component of a web node down', () => {
  const node = env.servers('web')[0]!;
  afterEach(() => revertFaults());

  it('the web nodes have components to fault', () => assert.ok(componentsOf('web').length >= 2, `components: ${componentsOf('web').join(', ')}`));

  for (const component of componentsOf('web')) {
    it(`${component} alone down on ${node.name}: the LB stops sending it requests, and ${REQUESTS} of ${REQUESTS} succeed`, async () => {
      await faults.stopService(node, component);
      let last: { code: string; node: string }[] = [];
      const takenOut = async () => {
        last = await servedBy(16);
        return last.every((a) => a.code === '200' && a.node !== node.name);
      };
      await until(takenOut, TAKEN_OUT_MS, `the LB taking ${node.name} out with ${component} down`).catch((e: Error) => {
        throw new Error(`${e.message}; last 16 requests: ${tally(last)}`);
      });
      const answers = await servedBy(REQUESTS);
      const bad = answers.filter((a) => a.code !== '200' || a.node === node.name);
      assert.equal(bad.length, 0, `through the LB with ${component} down on ${node.name}: ${tally(answers)}`);
      await revertFaults();
      await until(() => servesAgain(node.name), 15_000, `${node.name} serving through the LB again once ${component} is back`);
    });
  }
});
