import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { nextAddress } from '../../../../harness/provider/docker/addresses.js';

const subnet = { cidr: '172.20.0.0/16', gateway: '172.20.0.1' };

describe('provider/docker/addresses', () => {
  it('the first server gets the address after the gateway', () => {
    assert.equal(nextAddress(subnet, []), '172.20.0.2');
  });

  it('a new server gets an address above every one taken, never a freed lower one', () => {
    assert.equal(nextAddress(subnet, ['172.20.0.3', '172.20.0.9', '172.20.0.4']), '172.20.0.10');
    assert.equal(nextAddress(subnet, ['172.20.0.255']), '172.20.1.0');
  });

  it('refuses the broadcast address: the subnet is used up', () => {
    const small = { cidr: '192.168.16.0/29', gateway: '192.168.16.1' };
    assert.equal(nextAddress(small, ['192.168.16.5']), '192.168.16.6');
    assert.throws(() => nextAddress(small, ['192.168.16.6']), /192\.168\.16\.0\/29 has no address left above 192\.168\.16\.6/);
  });
});
