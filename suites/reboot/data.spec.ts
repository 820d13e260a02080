import { describe, it } from 'mocha';
import { expectWrittenDataIntact } from '../lifecycle-data.js';

describe('data after the reboot', () => {
  it('the note written before the reboot is still in the database and served', () => expectWrittenDataIntact('reboot'));
});
