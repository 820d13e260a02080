import { describe, it } from 'mocha';
import { expectEveryWebNodeInService } from '../lb-in-service.js';

describe('the load balancer between servers', () => {
  it('sends requests to every web node, at its current address', () => expectEveryWebNodeInService());
});
