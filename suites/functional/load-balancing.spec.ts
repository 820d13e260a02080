import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import { environment } from 'shakedown';
import { describeCodes, hammer, servesAgain, until } from '../platform.js';

const env = environment();
const REQUESTS = 200;

describe('load balancing with a web node down', () => {
  const down = env.servers('web')[0]!;
  after(() => down.sudo('systemctl start nginx php8.2-fpm'));

  it(`serves ${REQUESTS} of ${REQUESTS} requests while ${down.name} is down`, async () => {
    await down.must('systemctl stop nginx php8.2-fpm');
    const codes = await hammer(REQUESTS);
    assert.equal(codes.get('200') ?? 0, REQUESTS, `through the LB with ${down.name} down: ${describeCodes(codes)}`);
  });

  it(`sends traffic to ${down.name} again once it is back`, async () => {
    await down.must('systemctl start nginx php8.2-fpm');
    await until(() => servesAgain(down.name), 15_000, `${down.name} serving through the LB again`);
  });
});
