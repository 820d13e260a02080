import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { environment, expectHttp } from 'shakedown';
import { lbUrl, sql } from '../platform.js';

const env = environment();

describe('backup and restore', () => {
  it('a backup taken as cron takes it restores data that was then destroyed', async () => {
    const db = env.servers('db')[0]!;
    const text = `backup-probe-${Date.now()}`;
    await expectHttp(env.bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: text });

    // Exactly as cron would: the entry's user and command, with cron's minimal environment.
    const entry = (await db.must("grep -hE '^[^#].*platform-backup' /etc/cron.d/platform-backup")).trim().split(/\s+/);
    const [user, ...command] = entry.slice(5);
    await db.must(`cd / && runuser -u ${user} -- env -i SHELL=/bin/sh PATH=/usr/bin:/bin HOME=/ LOGNAME=${user} /bin/sh -c '${command.join(' ')}'`);

    await sql(db, 'DELETE FROM notes');
    assert.equal(await sql(db, `SELECT count(*) FROM notes WHERE body = '${text}'`), '0');

    const restore = await db.sudo('/usr/local/sbin/platform-restore');
    assert.ok(restore.ok, `platform-restore failed: ${restore.stderr.trim() || restore.stdout.trim()}`);
    assert.equal(await sql(db, `SELECT count(*) FROM notes WHERE body = '${text}'`), '1', 'the restored database lacks the note written before the backup');
    await expectHttp(env.bastion, lbUrl('/notes'), { status: 200, body: text });
  });
});
