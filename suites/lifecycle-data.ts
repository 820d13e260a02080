import assert from 'node:assert/strict';
import { type Server, environment, unitShared, expectHttp } from 'shakedown';
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

/** The topology's replicas; on one without any, the calling test skips (mocha's `this`). */
export function replicasOrSkip(test: Mocha.Context): Server[] {
  const replicas = environment().servers('replica');
  if (!replicas.length) test.skip();
  return replicas;
}

const REPLICA_MS = 30_000;

/** Waits until `probe` holds on `replica`, or fails with what `state` says there last. */
async function untilOnReplica(replica: Server, probe: () => Promise<boolean>, state: () => Promise<string>, what: string): Promise<void> {
  const deadline = Date.now() + REPLICA_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`${replica.name}: ${what}: not within ${REPLICA_MS / 1000} s (${await state()})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const receiver = (replica: Server) =>
  sql(replica, "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'no WAL receiver') || ', in recovery: ' || pg_is_in_recovery()");

/** Each replica streams from the primary and has replayed everything the primary had written when this was called. */
export async function expectReplicasCaughtUp(replicas: Server[], action: string): Promise<void> {
  const primary = environment().servers('db')[0]!;
  const lsn = await sql(primary, 'SELECT pg_current_wal_lsn()');
  for (const replica of replicas) {
    const streaming = async () => (await sql(replica, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming';
    await untilOnReplica(replica, streaming, () => receiver(replica).then((r) => `WAL receiver: ${r}`), `streaming from ${primary.name} after the ${action}`);
    const replayed = async () => (await sql(replica, `SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '${lsn}') >= 0`)) === 't';
    const at = () => sql(replica, 'SELECT pg_last_wal_replay_lsn()').then((r) => `replayed up to ${r}, the primary was at ${lsn}`);
    await untilOnReplica(replica, replayed, at, `caught up with ${primary.name} after the ${action}`);
  }
}

/** A note written through the load balancer after the action reaches every replica. */
export async function expectWritesReachReplicas(replicas: Server[], action: string): Promise<void> {
  const body = `after-${action}-${Date.now()}`;
  await expectHttp(environment().bastion, lbUrl('/notes'), { status: 201 }, { method: 'POST', data: body });
  for (const replica of replicas) {
    const there = async () => (await sql(replica, `SELECT count(*) FROM notes WHERE body = '${body}'`)) === '1';
    await untilOnReplica(replica, there, () => receiver(replica).then((r) => `WAL receiver: ${r}`), `the note written after the ${action} replicated`);
  }
}
