import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import type { CommandResult } from '../../../harness/environment/server.js';
import { TransportError } from '../../../harness/errors.js';
import { capped, collectEvidence, evidenceDirName, failureText, syslogSince, type EvidenceSource } from '../../../harness/report/evidence.js';
import type { ExecOptions } from '../../../harness/ssh/connection.js';
import { HOSTILE, runReport } from './fixture.js';

type Reply = (command: string) => Promise<Partial<CommandResult>>;

/** Servers that answer commands from a script, and remember what they were asked. */
function fakeEnvironment(servers: { [name: string]: Reply }) {
  const calls: { server: string; command: string; opts?: ExecOptions }[] = [];
  const env: EvidenceSource = {
    servers: () =>
      Object.entries(servers).map(([name, reply]) => ({
        name,
        sudo: async (command: string, opts?: ExecOptions) => {
          calls.push({ server: name, command, opts });
          return { stdout: '', stderr: '', code: 0, ok: true, command, ...(await reply(command)) };
        },
      })),
  };
  return { env, calls };
}

describe('report/evidence', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'shakedown-evidence-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('evidenceDirName', () => {
    it('names a unit’s attempt as one safe segment under evidence/', () => {
      assert.equal(evidenceDirName('functional/backup-restore', 1), 'evidence/functional-backup-restore/attempt-1');
      assert.equal(evidenceDirName('reboot', 2), 'evidence/reboot/attempt-2');
    });

    it('cannot climb out of the evidence directory or carry spaces', () => {
      for (const unit of ['../x', '../../etc/passwd', '..', '/abs/olute', 'my suite/a b', 'a\\..\\b', 'x/../../y', '.hidden', '']) {
        const dir = evidenceDirName(unit, 1);
        const [top, name, attempt, ...rest] = dir.split('/');
        assert.equal(top, 'evidence', unit);
        assert.equal(attempt, 'attempt-1', unit);
        assert.deepEqual(rest, [], unit);
        assert.match(name!, /^[A-Za-z0-9_][A-Za-z0-9._-]*$/, `${unit} → ${name}`);
        assert.equal(path.posix.normalize(dir), dir, unit);
      }
      assert.equal(evidenceDirName('../x', 1), 'evidence/x/attempt-1');
      assert.equal(evidenceDirName('my suite/a b', 1), 'evidence/my-suite-a-b/attempt-1');
    });

    it('refuses an attempt that is not a positive integer', () => {
      for (const n of [0, -1, 1.5, NaN]) assert.throws(() => evidenceDirName('build', n), RangeError);
    });
  });

  describe('failureText', () => {
    it('lists every failed test with its phase and full error, and nothing that passed', () => {
      const reboot = runReport().units[2]!.attempts[1]!.phases;
      const backup = runReport().units[0]!.attempts[0]!.phases;
      const text = failureText([...backup, ...reboot]);
      assert.equal(
        text,
        `✗ functional: functional backup restores the dump\n${HOSTILE}\n\n` +
          '✗ reboot: action: web-1 rebooted by an admin (sudo systemctl reboot)\nweb-1: did not come back within 120000 ms\nconsole: [FAILED] Failed to start nginx.service\n',
      );
    });

    it('is empty when nothing failed', () => {
      assert.equal(failureText(runReport().units[1]!.attempts[0]!.phases), '');
    });
  });

  describe('collectEvidence', () => {
    const since = new Date('2026-11-22T10:00:00.750Z');

    it('writes failure.txt and three files per server, each command with a 15 s timeout', async () => {
      const { env, calls } = fakeEnvironment({
        'web-1': async (c) => ({ stdout: c.includes('journalctl') ? 'journal of web-1\n' : c.includes('awk -v') ? 'syslog of web-1\n' : '(no failed units)\n' }),
        'db-1': async (c) => (c.includes('journalctl') ? { stdout: 'partial\n', stderr: 'Permission denied', code: 1, ok: false } : {}),
      });
      const e = await collectEvidence(env, { since, resultsDir: tmp, dir: 'evidence/build/attempt-1', failure: 'it broke\n' });
      assert.equal(e.dir, 'evidence/build/attempt-1');
      assert.equal(e.failure, 'it broke\n');
      assert.equal(readFileSync(path.join(tmp, 'evidence/build/attempt-1/failure.txt'), 'utf8'), 'it broke\n');
      assert.deepEqual(e.servers.map((s) => [s.server, s.files, s.error]), [
        ['web-1', ['journal.txt', 'syslog.txt', 'failed-units.txt'].map((f) => `evidence/build/attempt-1/web-1/${f}`), undefined],
        ['db-1', ['journal.txt', 'syslog.txt', 'failed-units.txt'].map((f) => `evidence/build/attempt-1/db-1/${f}`), undefined],
      ]);
      for (const f of e.servers.flatMap((s) => s.files)) assert.ok(existsSync(path.join(tmp, f)), f);
      assert.equal(readFileSync(path.join(tmp, 'evidence/build/attempt-1/web-1/syslog.txt'), 'utf8'), 'syslog of web-1\n');
      assert.equal(readFileSync(path.join(tmp, 'evidence/build/attempt-1/db-1/journal.txt'), 'utf8'), 'partial\n[shakedown: exited 1: Permission denied]\n');
      assert.equal(calls.length, 6);
      assert.ok(calls.every((c) => c.opts?.timeoutMs === 15_000));
      assert.ok(calls.some((c) => c.command.includes('journalctl --no-pager -o short-iso-precise --since @1795341600')));
    });

    it('notes a server it cannot reach and still gathers the others', async () => {
      const { env } = fakeEnvironment({
        bastion: async () => ({ stdout: 'ok\n' }),
        'web-1': async (c) => {
          throw new TransportError('connection-lost', 'web-1', `web-1: connection lost while running \`${c.slice(0, 20)}\``);
        },
      });
      const e = await collectEvidence(env, { since, resultsDir: tmp, dir: 'evidence/reboot/attempt-1', failure: 'x' });
      const [bastion, web] = e.servers;
      assert.equal(bastion!.files.length, 3);
      assert.equal(bastion!.error, undefined);
      assert.deepEqual(web!.files, []);
      assert.match(web!.error!, /^web-1: connection lost while running/);
    });

    it('asks every server at once rather than one after another', async () => {
      let asked = 0;
      let release!: () => void;
      const everyoneAsked = new Promise<void>((r) => (release = r));
      /** Each server answers only once both have been asked: one at a time would never finish. */
      const reply: Reply = async () => {
        if (++asked === 2 * 3) release();
        await everyoneAsked;
        return { stdout: 'ok\n' };
      };
      const { env } = fakeEnvironment({ 'web-1': reply, 'db-1': reply });
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('servers were asked one after another')), 1000).unref());
      const e = (await Promise.race([collectEvidence(env, { since, resultsDir: tmp, dir: 'evidence/par/attempt-1', failure: 'x' }), timeout])) as Awaited<ReturnType<typeof collectEvidence>>;
      assert.equal(e.servers.flatMap((s) => s.files).length, 6);
    });

    it('refuses a dir outside the results directory', async () => {
      const { env } = fakeEnvironment({});
      await assert.rejects(collectEvidence(env, { since, resultsDir: tmp, dir: '../elsewhere', failure: 'x' }), RangeError);
      assert.ok(!existsSync(path.join(tmp, '..', 'elsewhere')));
    });
  });

  describe('syslogSince', () => {
    it('keeps the lines from the first one stamped at or after `since`, whatever its offset, to the end', () => {
      const file = path.join(tmp, 'syslog');
      writeFileSync(
        file,
        [
          '2026-11-22T09:59:59.999999+00:00 web-1 app: before',
          '2026-11-22T10:59:58.000000+01:00 web-1 app: before, in another zone',
          '2026-11-22T11:00:00.500000+01:00 web-1 app: from here',
          '  a continuation line',
          '2026-11-22T10:00:01.000000+00:00 web-1 app: after',
          '',
        ].join('\n'),
      );
      const out = execFileSync('bash', ['-c', syslogSince(new Date('2026-11-22T10:00:00Z'), file)], { encoding: 'utf8' });
      assert.equal(out, '2026-11-22T11:00:00.500000+01:00 web-1 app: from here\n  a continuation line\n2026-11-22T10:00:01.000000+00:00 web-1 app: after\n');
    });

    it('gives nothing when every line is older', () => {
      const file = path.join(tmp, 'old-syslog');
      writeFileSync(file, '2024-02-29T23:59:59.000000+00:00 web-1 app: leap day\n');
      assert.equal(execFileSync('bash', ['-c', syslogSince(new Date('2024-03-01T00:00:00Z'), file)], { encoding: 'utf8' }), '');
    });
  });

  it('caps a file by keeping its end', () => {
    assert.equal(capped('short', 10), 'short');
    assert.equal(capped('0123456789abcdef', 6), '[shakedown: truncated to the last 6 bytes]\nabcdef');
  });
});
