import { describe, it } from 'mocha';
import { writeBeforeAction } from '../lifecycle-data.js';

describe('data written before the reboot', () => {
  it('a note is written through the load balancer', () => writeBeforeAction('reboot'));
});
