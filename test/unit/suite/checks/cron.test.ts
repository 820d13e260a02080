import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { evaluateCron, whyCronIgnores, type CronExpectation, type CronFile } from '../../../../harness/suite/checks/cron.js';

const good: CronFile = {
  path: '/etc/cron.d/platform-backup',
  owner: 'root',
  mode: '644',
  content: [
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '# 0 * * * * root /usr/local/bin/platform-backup --old',
    '17 * * * * backup /usr/local/bin/platform-backup --quiet',
    '',
  ].join('\n'),
};
const crontab: CronFile = { path: '/etc/crontab', owner: 'root', mode: '644', content: '25 6 * * * root test -x /usr/sbin/anacron || run-parts /etc/cron.daily\n' };
const users = ['root', 'daemon', 'backup', 'postgres'];
const want: CronExpectation = { command: /platform-backup/, user: 'backup', schedule: '17 * * * *' };
const withLine = (line: string, over: Partial<CronFile> = {}): CronFile => ({ ...good, content: `${line}\n`, ...over });
const problems = (file: CronFile, active = true, w = want) => evaluateCron([crontab, file], users, active, w);

describe('suite/checks/cron', () => {
  describe('whyCronIgnores', () => {
    it('accepts a root-owned, non-writable file with a plain name', () => assert.equal(whyCronIgnores(good), undefined));
    it('rejects a name with a dot in /etc/cron.d', () => assert.match(whyCronIgnores({ ...good, path: '/etc/cron.d/platform.backup' })!, /platform\.backup/));
    it('rejects a group- or world-writable file', () => {
      assert.match(whyCronIgnores({ ...good, mode: '664' })!, /mode 664/);
      assert.match(whyCronIgnores({ ...good, mode: '0646' })!, /mode 0646/);
    });
    it('rejects a file in /etc not owned by root', () => assert.match(whyCronIgnores({ ...good, owner: 'backup' })!, /owned by backup/));
    it("accepts a user's crontab owned by that user", () =>
      assert.equal(whyCronIgnores({ path: '/var/spool/cron/crontabs/postgres', owner: 'postgres', mode: '600', content: '' }), undefined));
  });

  describe('evaluateCron', () => {
    it('a valid entry yields no problems, skipping comments and variables', () => assert.deepEqual(problems(good), []));

    it('accepts @-schedules and user crontabs (no user column)', () => {
      assert.deepEqual(problems(withLine('@hourly backup /usr/local/bin/platform-backup'), true, { command: /platform-backup/ }), []);
      const spool: CronFile = { path: '/var/spool/cron/crontabs/postgres', owner: 'postgres', mode: '600', content: '0 2 * * * /usr/bin/vacuumdb --all\n' };
      assert.deepEqual(evaluateCron([spool], users, true, { command: /vacuumdb/ }), []);
    });

    it('reports a file that cron ignores: dot in the name, or group-writable', () => {
      assert.match(problems({ ...good, path: '/etc/cron.d/platform.backup' }).join(), /cron ignores \/etc\/cron\.d\/platform\.backup/);
      assert.match(problems({ ...good, mode: '664' }).join(), /group- or world-writable/);
    });

    it('reports a missing trailing newline', () => {
      const p = problems({ ...good, content: good.content.trimEnd() });
      assert.equal(p.length, 1);
      assert.match(p[0]!, /newline/);
    });

    it('reports a malformed schedule', () => {
      const p = problems(withLine('17 * * * 1;5 backup /usr/local/bin/platform-backup'), true, { command: /platform-backup/ });
      assert.equal(p.length, 1);
      assert.match(p[0]!, /schedule '17 \* \* \* 1;5' is not valid/);
    });

    it('reports an out-of-range schedule (cron rejects hour 24 with "bad hour")', () => {
      const p = problems(withLine('0 24 * * * backup /usr/local/bin/platform-backup'), true, { command: /platform-backup/ });
      assert.match(p.join(), /schedule '0 24 \* \* \*' is not valid/);
    });

    it('reports a different schedule or user than expected', () => {
      const p = problems(withLine('0 3 * * * root /usr/local/bin/platform-backup'));
      assert.equal(p.length, 2);
      assert.match(p[0]!, /'0 3 \* \* \*', expected '17 \* \* \* \*'/);
      assert.match(p[1]!, /runs as 'root', expected 'backup'/);
    });

    it('reports a user who does not exist', () => {
      const p = problems(withLine('17 * * * * backups /usr/local/bin/platform-backup'), true, { command: /platform-backup/ });
      assert.deepEqual(p.length, 1);
      assert.match(p[0]!, /'backups', who does not exist/);
    });

    it('reports that cron is not running', () => {
      const p = problems(good, false);
      assert.equal(p.length, 1);
      assert.match(p[0]!, /not running/);
    });

    it('reports a missing entry, naming the pattern', () => {
      const p = evaluateCron([crontab], users, true, want);
      assert.equal(p.length, 1);
      assert.match(p[0]!, /no entry matching \/platform-backup\//);
    });
  });
});
