import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { costPreview, GP3_USD_PER_GIB_HOUR, ON_DEMAND_USD_PER_HOUR, PUBLIC_IPV4_USD_PER_HOUR, ROOT_GIB } from '../../../../harness/provider/aws/cost.js';

const s = (name: string, instanceType: string, o: { publish?: number[]; volumes?: number } = {}) => ({
  instanceType,
  spec: { name, role: name.replace(/-\d+$/, ''), image: 'x', publish: o.publish ?? [], volumes: Array.from({ length: o.volumes ?? 0 }, (_, i) => ({ name: `v${i}`, path: `/v${i}` })) },
});

describe('provider/aws/cost', () => {
  it('counts instances by type, volumes and public addresses for every environment at once, and prices them', () => {
    const servers = [s('gate-1', 't3.micro', { publish: [22] }), s('app-1', 't3.small'), s('app-2', 't3.small'), s('store-1', 'm6i.large', { volumes: 1 })];
    const p = costPreview(servers, 2, 8);
    assert.equal(p.instances, 8);
    assert.deepEqual(p.byType, { 't3.micro': 2, 't3.small': 4, 'm6i.large': 2 });
    assert.equal(p.volumes, 2);
    assert.equal(p.publicAddresses, 2);
    const expected = 2 * ON_DEMAND_USD_PER_HOUR['t3.micro']! + 4 * ON_DEMAND_USD_PER_HOUR['t3.small']! + 2 * ON_DEMAND_USD_PER_HOUR['m6i.large']! + (16 + 8 * ROOT_GIB) * GP3_USD_PER_GIB_HOUR + 2 * PUBLIC_IPV4_USD_PER_HOUR;
    assert.ok(Math.abs(p.usdPerHour! - expected) < 1e-9);
    assert.match(p.lines[0]!, /^at most 2 environment\(s\) at once: 8 instances \(2 × t3\.micro, 4 × t3\.small, 2 × m6i\.large\) with 8 GiB roots, 2 EBS volume\(s\) of 8 GiB, 2 public address\(es\)$/);
    assert.match(p.lines[1]!, /^cost: about \$0\.\d{3} per hour at AWS's published on-demand prices/);
  });

  it('says which type has no listed price instead of guessing one', () => {
    const p = costPreview([s('gate-1', 'x2idn.metal')], 1, 8);
    assert.equal(p.usdPerHour, undefined);
    assert.match(p.lines[1]!, /no published price listed here for x2idn\.metal/);
  });
});
