import type { Attempt, EnvironmentReport, RunReport, UnitReport } from '../../../harness/run/results.js';
import type { SuiteResult, TestResult } from '../../../harness/suite/runner.js';

/**
 * A three-worker run with one unit of each outcome: functional/backup-restore flaky (failed on
 * w1, passed on w2), build passed, reboot failed twice (db-1 unreachable for evidence),
 * application/payments lost to infrastructure, functional/cron interrupted before it began.
 * Test output carries markup, ANSI colours and control characters, as real output does.
 */
export const RESULTS_DIR = '/var/tmp/shakedown/results/r2611221000ab12';
export const HOSTILE = 'db-1: `pg_restore -d app /backup/app.dump` exited 1: <script>alert("x")</script> \x1b[31mERROR\x1b[0m & \x07bell\x00';

const test = (phase: string, title: string, state: TestResult['state'], error?: string, suite = phase, prefix = ''): TestResult => ({
  suite,
  phase,
  title,
  fullTitle: `${prefix}${title}`,
  state,
  durationMs: 1500,
  error,
});

const phase = (name: string, tests: TestResult[], suite = name): SuiteResult => ({ suite, phase: name, tests, durationMs: tests.length * 1500 + 200 });

const evidence = (unit: string, attempt: number, reachable: string[], unreachable: { [server: string]: string } = {}) => {
  const dir = `evidence/${unit}/attempt-${attempt}`;
  return {
    dir,
    failure: `✗ some failure of ${unit}`,
    servers: [
      ...reachable.map((server) => ({ server, files: ['journal.txt', 'syslog.txt', 'failed-units.txt'].map((f) => `${dir}/${server}/${f}`) })),
      ...Object.entries(unreachable).map(([server, error]) => ({ server, files: [], error })),
    ],
  };
};

const attempt = (n: number, worker: number, env: string | undefined, outcome: Attempt['outcome'], phases: SuiteResult[], extra: Partial<Attempt> = {}): Attempt => ({
  attempt: n,
  worker,
  env,
  startedAt: `2026-11-22T10:0${n}:00.000Z`,
  durationMs: phases.reduce((ms, p) => ms + p.durationMs, 0) || 4000,
  outcome,
  phases,
  ...extra,
});

const backup = (state: TestResult['state'], error?: string) =>
  phase('functional', [
    test('functional', 'restores the dump', state, error, 'functional', 'functional backup '),
    test('functional', 'keeps seven days', 'passed', undefined, 'functional', 'functional backup '),
  ]);

const reboot = (n: number, worker: number, env: string): Attempt =>
  attempt(n, worker, env, 'failed', [
    phase('reboot: before', [test('reboot: before', 'writes a marker', 'passed', undefined, 'reboot', 'reboot before ')], 'reboot'),
    phase('reboot: action', [
      test('reboot: action', 'web-1 rebooted by an admin (sudo systemctl reboot)', 'failed', 'web-1: did not come back within 120000 ms\nconsole: [FAILED] Failed to start nginx.service', 'reboot', 'reboot: action: '),
    ], 'reboot'),
    phase('build after reboot', [test('build after reboot', 'not run', 'skipped', 'reboot: action failed: web-1: did not come back', 'build', 'build after reboot: ')], 'build'),
  ], {
    broke: 'reboot: action failed: web-1: did not come back within 120000 ms',
    evidence: evidence('reboot', n, ['web-1', 'bastion'], { 'db-1': 'db-1: connection lost while running `journalctl`' }),
  });

const units: UnitReport[] = [
  {
    unit: 'functional/backup-restore',
    suite: 'functional',
    topology: 'small',
    outcome: 'flaky',
    expectedMs: 3000,
    attempts: [
      attempt(1, 1, 'e1a2b3c4', 'failed', [backup('failed', HOSTILE)], { evidence: evidence('functional-backup-restore', 1, ['web-1', 'db-1']) }),
      attempt(2, 2, 'e5f6a7b8', 'passed', [backup('passed')]),
    ],
  },
  {
    unit: 'build',
    suite: 'build',
    topology: 'small',
    outcome: 'passed',
    expectedMs: 5000,
    attempts: [attempt(1, 3, 'e0c0ffee', 'passed', [phase('build', [test('build', 'nginx is active', 'passed', undefined, 'build', 'web '), test('build', 'cron is quiet', 'skipped', undefined, 'build', 'web ')])])],
  },
  { unit: 'reboot', suite: 'reboot', topology: 'small', outcome: 'failed', expectedMs: 90_000, attempts: [reboot(1, 2, 'e9d8c7b6'), reboot(2, 3, 'e0d1e2f3')] },
  {
    unit: 'application/payments',
    suite: 'application',
    topology: 'small',
    outcome: 'infra',
    attempts: [1, 2].map((n) => attempt(n, 1, undefined, 'infra', [], { error: `launch failed: docker: no space left on device (try ${n})` })),
  },
  { unit: 'functional/cron', suite: 'functional', topology: 'small', outcome: 'interrupted', expectedMs: 2000, attempts: [] },
];

const environment = (id: string, worker: number, fate?: string): EnvironmentReport => ({
  id,
  worker,
  topology: 'small',
  defects: id === 'e9d8c7b6' ? ['nginx-slow-start'] : [],
  servers: [
    { name: 'bastion', role: 'bastion', image: 'shakedown/bastion:1.4' },
    { name: 'web-1', role: 'web', image: 'shakedown/debian12-web:1.4' },
    { name: 'db-1', role: 'db', image: 'shakedown/debian12-db:1.4' },
  ],
  timings: { preflightMs: 120, launchMs: 3100, sshMs: 900, settleMs: 2400, convergeMs: 600, sshReadyMs: 4000, readyMs: 7100, destroyMs: 1300 },
  fate,
});

/** A fresh copy each call, so a test may change it. */
export function runReport(): RunReport {
  const suites = units.flatMap((u) => u.attempts.at(-1)?.phases ?? []);
  const tests = suites.flatMap((s) => s.tests);
  return structuredClone({
    run: 'r2611221000ab12',
    outcome: 'failed',
    workers: 3,
    makespanMs: 250_000,
    lowerBoundMs: 200_000,
    launchBoundMs: 220_000,
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    skipped: tests.filter((t) => t.state === 'skipped').length,
    flaky: 1,
    infra: 1,
    topology: 'small',
    images: ['shakedown/bastion:1.4', 'shakedown/debian12-web:1.4', 'shakedown/debian12-db:1.4'],
    environments: [
      environment('e1a2b3c4', 1, 'replaced: functional/backup-restore failed'),
      environment('e5f6a7b8', 2),
      environment('e9d8c7b6', 2, 'broken: reboot: action failed'),
      environment('e0d1e2f3', 3, 'kept for debugging until 2026-11-22T14:00:00Z'),
      environment('e0c0ffee', 3),
    ],
    units,
    timeline: [
      { worker: 1, kind: 'launch', label: 'launch e1a2b3c4', env: 'e1a2b3c4', startMs: 0, endMs: 7100, ok: true },
      { worker: 1, kind: 'unit', label: 'functional/backup-restore', env: 'e1a2b3c4', startMs: 7100, endMs: 10_300, ok: false },
      { worker: 1, kind: 'evidence', label: 'evidence functional/backup-restore', env: 'e1a2b3c4', startMs: 10_300, endMs: 11_000, ok: true },
      { worker: 1, kind: 'destroy', label: 'destroy e1a2b3c4', env: 'e1a2b3c4', startMs: 11_000, endMs: 12_300, ok: true },
      { worker: 1, kind: 'backoff', label: 'backoff <launch>', startMs: 12_300, endMs: 20_000, ok: false, note: 'docker: no space left on device' },
      { worker: 2, kind: 'launch', label: 'launch e5f6a7b8', env: 'e5f6a7b8', startMs: 0, endMs: 7000, ok: true },
      { worker: 2, kind: 'unit', label: 'functional/backup-restore', env: 'e5f6a7b8', startMs: 15_000, endMs: 18_100, ok: true },
      { worker: 2, kind: 'gate', label: 'health gate', env: 'e5f6a7b8', startMs: 18_100, endMs: 19_000, ok: true },
      { worker: 2, kind: 'unit', label: 'reboot', env: 'e9d8c7b6', startMs: 30_000, endMs: 130_000, ok: false },
      { worker: 3, kind: 'launch', label: 'launch e0c0ffee', env: 'e0c0ffee', startMs: 0, endMs: 7200, ok: true },
      { worker: 3, kind: 'unit', label: 'build', env: 'e0c0ffee', startMs: 7200, endMs: 10_400, ok: true },
      { worker: 3, kind: 'unit', label: 'reboot', env: 'e0d1e2f3', startMs: 140_000, endMs: 248_000, ok: false },
    ],
    kept: [
      {
        env: 'e0d1e2f3',
        unit: 'reboot',
        expires: '2026-11-22T14:00:00Z',
        commands: ['shakedown env ssh e0d1e2f3 bastion', 'shakedown env ssh e0d1e2f3 web-1', 'shakedown env ssh e0d1e2f3 db-1'],
      },
    ],
    totalMs: 262_500,
    suites,
    resultsDir: RESULTS_DIR,
  } satisfies RunReport);
}
