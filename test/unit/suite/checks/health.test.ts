import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { lineTime, outsideWindows, parseActivating, stuckUnits, syslogErrors, unexcused } from '../../../../harness/suite/checks/health.js';

const since = new Date('2024-05-01T12:00:00Z');
/** /var/log/syslog in rsyslog's high-precision RFC 3339 format. */
const syslog = [
  '2024-05-01T11:59:00.000000+00:00 web-1 platform[90]: cache warm-up failed: before the test',
  '2024-05-01T11:59:59.500000+00:00 web-1 platform[91]: cache warm-up failed: within a second of since',
  '2024-05-01T12:00:05.123456+00:00 web-1 platform[200]: cache warm-up failed: connection refused',
  '2024-05-01T12:00:06.000000+00:00 web-1 nginx[300]: worker process started',
  '2024-05-01T14:00:06.000000+02:00 web-1 kernel: EXT4-fs (sda1): mounted with errors=remount-ro',
  '2024-05-01T12:00:07.000000+00:00 failed-host CRON[310]: (root) CMD (run-parts /etc/cron.hourly)',
  '2024-05-01T12:00:08.000000+00:00 web-1 systemd[1]: Failed to start platform-warmup.service.',
  'web-1 error without a stamp',
  '',
].join('\n');

describe('suite/checks/health', () => {
  it('syslogErrors: error lines at or after since (1 s slack), ignoring the host column', () => {
    assert.deepEqual(syslogErrors(syslog, since), [syslog.split('\n')[1], syslog.split('\n')[2], syslog.split('\n')[6]]);
  });

  it('syslogErrors: nothing when since is after every line', () => assert.deepEqual(syslogErrors(syslog, new Date('2024-05-02T00:00:00Z')), []));

  it('unexcused: drops blank lines and lines the allow-list excuses', () => {
    const lines = ['May 01 12:00:05 web-1 platform[200]: cache warm-up failed', '  ', 'May 01 12:00:08 web-1 sshd[5]: error: kex_exchange_identification'];
    assert.deepEqual(unexcused(lines, [{ pattern: /cache warm-up failed/, why: 'known defect' }]), [lines[2]]);
    assert.deepEqual(unexcused(lines, []), [lines[0], lines[2]]);
  });

  it('reads the time of journal (short-iso) and syslog (RFC 3339) lines alike', () => {
    assert.equal(lineTime('2026-11-22T02:36:46+0000 web-1 nginx[1]: x'), Date.parse('2026-11-22T02:36:46Z'));
    assert.equal(lineTime('2026-11-22T02:36:46.323685+00:00 web-1 systemd[1]: x'), Date.parse('2026-11-22T02:36:46.323Z'));
    assert.ok(Number.isNaN(lineTime('-- No entries --')));
  });

  it("excuses lines inside an earlier unit's window, keeps those before, between and after", () => {
    const at = (s: string) => new Date(`2026-11-22T02:${s}Z`);
    const lines = ['00:10', '00:30', '01:00', '01:30', '02:00'].map((t) => `2026-11-22T02:${t}+0000 web-1 x: failed`);
    const kept = outsideWindows(lines, [{ start: at('00:20'), end: at('00:40') }, { start: at('01:20'), end: at('01:40') }]);
    assert.deepEqual(kept.map((l) => l.slice(14, 19)), ['00:10', '01:00', '02:00']);
  });

  it('keeps a line logged a moment before a window opens (the launch converging a defect), and one well after it closes', () => {
    const start = new Date('2026-11-22T05:10:21.800Z');
    const lines = ['05:10:21.015405', '05:10:21.800000', '05:10:30.900000', '05:10:32.100000'].map((t) => `2026-11-22T${t}+0000 web-1 platform[399]: cache warm-up failed`);
    const kept = outsideWindows(lines, [{ start, end: new Date('2026-11-22T05:10:30.000Z') }]);
    assert.deepEqual(kept.map((l) => l.slice(11, 26)), ['05:10:21.015405', '05:10:32.100000']);
  });
});

describe('suite/checks/health: units stuck restarting', () => {
  // ACTIVATING_UNITS on a server 1000 s after boot: php-fpm dies at each start, a oneshot has been starting for 2 min, postgres for 3 s.
  const shown = [
    'now=1000.50',
    'Id=php8.2-fpm.service\nActiveState=activating\nSubState=auto-restart\nStateChangeTimestampMonotonic=999000000',
    'Id=platform-warmup.service\nActiveState=activating\nSubState=start\nStateChangeTimestampMonotonic=880000000',
    'Id=postgresql@15-main.service\nActiveState=activating\nSubState=start\nStateChangeTimestampMonotonic=997500000',
    '',
  ].join('\n\n');

  it('reads each activating unit, its sub-state and how long it has been activating', () => {
    assert.deepEqual(parseActivating(shown), [
      { unit: 'php8.2-fpm.service', sub: 'auto-restart', forMs: 1500 },
      { unit: 'platform-warmup.service', sub: 'start', forMs: 120500 },
      { unit: 'postgresql@15-main.service', sub: 'start', forMs: 3000 },
    ]);
  });

  it('reads no unit when none is activating', () => assert.deepEqual(parseActivating('now=12.00\n'), []));

  it('reports a unit waiting to be restarted and one starting past the bound, not one starting briefly', () => {
    const stuck = stuckUnits(parseActivating(shown));
    assert.equal(stuck.length, 2);
    assert.match(stuck[0]!, /^php8\.2-fpm\.service is restarting \(activating, auto-restart\)/);
    assert.match(stuck[1]!, /^platform-warmup\.service has been activating \(start\) for 121 s, more than 90 s$/);
  });

  it('takes another bound', () => assert.equal(stuckUnits(parseActivating(shown), 1000).length, 3));
});
