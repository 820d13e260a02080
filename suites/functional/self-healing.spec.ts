import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import { environment } from 'shakedown';
import { describeCodes, hammer, until } from '../platform.js';

const env = environment();
const BOUND_MS = 10_000;
const mainPid = async (unit: string) => (await env.servers('web')[0]!.must(`systemctl show -p MainPID --value ${unit}`)).trim();

describe('self-healing', () => {
  // Whatever the outcome, leave the node running for the suites after this one.
  after(() => env.servers('web')[0]!.sudo('systemctl start php8.2-fpm nginx'));
  for (const unit of ['php8.2-fpm', 'nginx']) {
    it(`${unit}: killed with SIGKILL, the service manager brings it back within ${BOUND_MS / 1000} s`, async () => {
      const web = env.servers('web')[0]!;
      const before = await mainPid(unit);
      assert.notEqual(before, '0', `${unit} is not running on ${web.name}`);
      await web.must(`kill -9 ${before}`);
      await until(async () => {
        const now = await mainPid(unit);
        return now !== '0' && now !== before && (await web.sh(`systemctl is-active ${unit}`)).stdout.trim() === 'active';
      }, BOUND_MS, `${web.name}: ${unit} restarted after its main process was killed`);
      const codes = await hammer(20);
      assert.equal(codes.get('200') ?? 0, 20, `requests after ${unit} came back: ${describeCodes(codes)}`);
    });
  }
});
