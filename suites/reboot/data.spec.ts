import { describe, it } from 'mocha';
import { expectReplicasCaughtUp, expectWritesReachReplicas, expectWrittenDataIntact, replicasOrSkip } from '../lifecycle-data.js';

describe('data after the reboot', () => {
  it('the note written before the reboot is still in the database and served', () => expectWrittenDataIntact('reboot'));

  // Only a topology with a replica has one to check; on the others these skip.
  it('each replica streams from the primary again and has caught up', async function () {
    await expectReplicasCaughtUp(replicasOrSkip(this), 'reboot');
  });

  it('a note written after the reboot reaches each replica', async function () {
    await expectWritesReachReplicas(replicasOrSkip(this), 'reboot');
  });
});
