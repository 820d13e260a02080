import assert from 'node:assert/strict';
import { environment, unitShared, expectHttp } from 'shakedown';
import { lbUrl, sql } from './platform.js';

/** The note written before a lifecycle action, kept for the unit's later spec files. */
const note = () => unitShared('lifecycle-note', () => ({ written: undefined as string | undefined }));

export async function writeBeforeAction(action: string): Promise<void> {
  const written = (note().written = `before-${action}-${Date.now()}`);
  await expectHttp(environment().bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: written });
}

export async function expectWrittenDataIntact(action: string): Promise<void> {
  const written = note().written;
  assert.ok(written, `no note was written before the ${action}`);
  const db = environment().servers('db')[0]!;
  assert.equal(await sql(db, `SELECT count(*) FROM notes WHERE body = '${written}'`), '1', `the note written before the ${action} is gone from ${db.name}`);
  await expectHttp(environment().bastion, lbUrl('/notes'), { status: 200, body: written });
}
