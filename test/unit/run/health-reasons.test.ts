import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseDiskUsage, serverReasons, type Outcome, type ServerProbe } from '../../../harness/run/health-reasons.js';
import { parseFailedUnits } from '../../../harness/suite/checks/health.js';
import type { ExecResult } from '../../../harness/ssh/connection.js';

const ran = (stdout: string, code: number | null = 0, stderr = ''): Outcome<ExecResult> => ({ ok: true, value: { stdout, stderr, code } });
const failed = (error: string): Outcome<never> => ({ ok: false, error });
const DF = 'Use% File\n 20% /\n  1% /run\n 20% /var/lib/postgresql\n';

/** A healthy db server's probe, fresh each time so a case can break one part. */
const probe = (edit: (p: ServerProbe) => void = () => undefined): ServerProbe => {
  const p: ServerProbe = {
    server: 'db-1',
    failedUnits: ran(''),
    fresh: { ok: true, value: undefined },
    disk: ran(DF),
    diskPaths: ['/', '/run', '/var/lib/postgresql'],
    faults: ran(''),
    invariants: [
      { invariant: { name: 'postgresql runs', command: 'systemctl is-active --quiet postgresql@15-main' }, result: ran('') },
      { invariant: { name: 'postgres accepts connections', command: 'pg_isready -q' }, result: ran('') },
    ],
  };
  edit(p);
  return p;
};

describe('run/health-reasons', () => {
  it('a healthy server has no reasons', () => assert.deepEqual(serverReasons(probe(), []), []));

  it('parses failed units and disk usage, paths with spaces included', () => {
    assert.deepEqual(parseFailedUnits('platform-warmup.service loaded failed failed Warm-up\nx.timer loaded failed failed X\n'), ['platform-warmup.service', 'x.timer']);
    assert.deepEqual(parseFailedUnits(''), []);
    assert.deepEqual([...parseDiskUsage('Use% File\n100% /run\n 3% /srv/my data\n')], [['/run', 100], ['/srv/my data', 3]]);
  });

  it('a lost connection is the only reason: nothing else can be judged through it', () => {
    const lost = 'db-1: connection lost while running `systemctl --failed`';
    const reasons = serverReasons(probe((p) => {
      p.failedUnits = failed(lost);
      p.disk = failed(lost);
      p.invariants[1]!.result = failed(lost);
    }), []);
    assert.deepEqual(reasons, ['db-1: unreachable through the bastion: its connection no longer runs commands (connection lost while running `systemctl --failed`)']);
  });

  it('a fresh connection that fails is a reason even when the old one still works', () => {
    const reasons = serverReasons(probe((p) => (p.fresh = failed('db-1: SSH unreachable: (SSH) Channel open failure: Connection refused;\nsshd is not accepting connections'))), []);
    assert.deepEqual(reasons, ['db-1: unreachable through the bastion: a fresh SSH connection failed (SSH unreachable: (SSH) Channel open failure: Connection refused; sshd is not accepting connections)']);
  });

  it('only units that were not failed in the baseline count', () => {
    const p = probe((x) => (x.failedUnits = ran('platform-warmup.service loaded failed failed W\ncron.service loaded failed failed C\n')));
    assert.deepEqual(serverReasons(p, ['platform-warmup.service']), ['db-1: systemd units failed since launch: cron.service']);
    assert.deepEqual(serverReasons(p, ['platform-warmup.service', 'cron.service']), []);
  });

  it('each fault note left on the server is a reason naming the fault and when it was applied', () => {
    const notes = '2026-11-30T23:50:01.000Z\tstop nginx\n2026-11-30T23:50:02.000Z\tcut the network to app-2\n';
    assert.deepEqual(serverReasons(probe((p) => (p.faults = ran(notes))), []), [
      "db-1: fault 'stop nginx' left in place (applied 2026-11-30T23:50:01.000Z)",
      "db-1: fault 'cut the network to app-2' left in place (applied 2026-11-30T23:50:02.000Z)",
    ]);
    assert.match(serverReasons(probe((p) => (p.faults = failed('db-1: timed out'))), [])[0]!, /^db-1: could not list the faults in place \(timed out\)$/);
  });

  it('a file system at 95% or more is full; 94% is not', () => {
    const reasons = serverReasons(probe((p) => (p.disk = ran('Use% File\n 94% /\n100% /run\n 95% /var/lib/postgresql\n', 0))), []);
    assert.deepEqual(reasons, ['db-1: /run is 100% full', 'db-1: /var/lib/postgresql is 95% full']);
  });

  it('a path df could not read is a reason, with what df said', () => {
    const reasons = serverReasons(probe((p) => (p.disk = ran('Use% File\n 20% /\n  1% /run\n', 1, "df: /var/lib/postgresql: No such file or directory\n"))), []);
    assert.deepEqual(reasons, ['db-1: could not read disk usage of /var/lib/postgresql (df: /var/lib/postgresql: No such file or directory)']);
  });

  it('a failed invariant names itself, its command, the exit code and the last line it printed', () => {
    const reasons = serverReasons(probe((p) => {
      p.invariants[0]!.result = ran('inactive\n', 3);
      p.invariants[1]!.result = ran('', 2);
    }), []);
    assert.deepEqual(reasons, [
      "db-1: invariant 'postgresql runs' failed: systemctl is-active --quiet postgresql@15-main exited 3: inactive",
      "db-1: invariant 'postgres accepts connections' failed: pg_isready -q exited 2",
    ]);
  });

  it('an invariant that timed out says so', () => {
    const reasons = serverReasons(probe((p) => (p.invariants[1]!.result = failed('db-1: `pg_isready -q` did not finish within 10000 ms'))), []);
    assert.deepEqual(reasons, ["db-1: invariant 'postgres accepts connections' failed: pg_isready -q: `pg_isready -q` did not finish within 10000 ms"]);
  });

  it('every reason is one line, however long the output', () => {
    const reasons = serverReasons(probe((p) => (p.invariants[0]!.result = ran(`${'x'.repeat(500)}\nsecond\n`, 1, `first\n${'y'.repeat(500)}\n`))), []);
    assert.equal(reasons.length, 1);
    assert.ok(!reasons[0]!.includes('\n'));
    assert.ok(reasons[0]!.length < 320, reasons[0]);
  });
});
