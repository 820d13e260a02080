import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { CONSOLE_BEGIN, CONSOLE_END, hostKeyFromConsole } from '../../../../harness/provider/docker/console.js';

const ED_OLD = 'AAAAC3NzaC1lZDI1NTE5AAAAIOldOldOldOldOldOldOldOldOldOldOldOldOldOldOld';
const ED_NEW = 'AAAAC3NzaC1lZDI1NTE5AAAAINewNewNewNewNewNewNewNewNewNewNewNewNewNewNew';
const block = (...lines: string[]) => [CONSOLE_BEGIN, ...lines, CONSOLE_END].join('\r\n');
const noise = '\x1b[0;32m[  OK  ]\x1b[0m Started \x1b[0;1;39mssh.service\x1b[0m - OpenBSD Secure Shell server.\r\n';

describe('provider/docker/console', () => {
  it('takes the key from the last boot, with CRLF endings and ANSI noise around', () => {
    const text = [noise, block(`ssh-ed25519 ${ED_OLD} root@web-1`), '\r\n', noise, '\x1b[2J\x1b[H', block(`ssh-ed25519 ${ED_NEW} root@web-1`), '\r\n', noise].join('');
    assert.deepEqual(hostKeyFromConsole(text), { type: 'ssh-ed25519', base64: ED_NEW });
  });

  it('prefers the ed25519 key when the block lists several', () => {
    const text = block('ecdsa-sha2-nistp256 AAAAE2VjZHNh root@web-1', `ssh-ed25519 ${ED_NEW} root@web-1`);
    assert.equal(hostKeyFromConsole(text)?.base64, ED_NEW);
  });

  it('is undefined when there is no block, or the last block has no END marker yet', () => {
    assert.equal(hostKeyFromConsole(noise), undefined);
    assert.equal(hostKeyFromConsole(`${block(`ssh-ed25519 ${ED_OLD}`)}\r\n${noise}${CONSOLE_BEGIN}\r\nssh-ed25519 ${ED_NEW}\r\n`), undefined);
    assert.equal(hostKeyFromConsole(block()), undefined);
  });
});
