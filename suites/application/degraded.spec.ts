import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import { environment } from 'shakedown';
import { describeCodes, hammer, servesAgain, until } from '../platform.js';

const env = environment();

describe('the application on degraded infrastructure', () => {
  const failed = env.servers('web').at(-1)!;
  after(async () => {
    await failed.sudo('systemctl start nginx php8.2-fpm');
    await until(() => servesAgain(failed.name), 15_000, `${failed.name} back in the LB`);
  });

  it(`keeps writing and reading with ${failed.name} failed`, async () => {
    await failed.must('systemctl stop nginx php8.2-fpm');
    const writes = await hammer(30, '/notes', 'POST');
    assert.equal(writes.get('201') ?? 0, 30, `writes with ${failed.name} failed: ${describeCodes(writes)}`);
    const reads = await hammer(30, '/notes');
    assert.equal(reads.get('200') ?? 0, 30, `reads with ${failed.name} failed: ${describeCodes(reads)}`);
  });
});
