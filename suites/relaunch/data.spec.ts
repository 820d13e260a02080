import { describe, it } from 'mocha';
import { expectWrittenDataIntact } from '../lifecycle-data.js';

describe('data after the relaunch', () => {
  it('the note written before the relaunch is still in the database and served', () => expectWrittenDataIntact('relaunch'));
});
