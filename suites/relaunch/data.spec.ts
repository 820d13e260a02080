import { describe, it } from 'mocha';
import { expectReplicasCaughtUp, expectWritesReachReplicas, expectWrittenDataIntact, replicasOrSkip } from '../lifecycle-data.js';

describe('data after the relaunch', () => {
  it('the note written before the relaunch is still in the database and served', () => expectWrittenDataIntact('relaunch'));

  // Only a topology with a replica has one to check; on the others these skip.
  it('each replica streams from the primary again and has caught up', async function () {
    await expectReplicasCaughtUp(replicasOrSkip(this), 'relaunch');
  });

  it('a note written after the relaunch reaches each replica', async function () {
    await expectWritesReachReplicas(replicasOrSkip(this), 'relaunch');
  });
});
