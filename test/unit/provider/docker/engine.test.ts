import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { dockerCall, isRemovalInProgress } from '../../../../harness/provider/docker/engine.js';

/** Errors shaped as dockerode gives them: the HTTP status, and Docker's message in `json`. */
const dockerError = (statusCode: number, message: string) => Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode, json: { message } });

describe('provider/docker/engine: isRemovalInProgress', () => {
  it('knows a container someone else is removing', () =>
    assert.equal(isRemovalInProgress(dockerError(409, 'removal of container 3ac84808b54f is already in progress')), true));

  it('is not fooled by other conflicts or by a container already gone', () => {
    assert.equal(isRemovalInProgress(dockerError(409, 'remove sd-e1-web-1-data: volume is in use')), false);
    assert.equal(isRemovalInProgress(dockerError(404, 'No such container: 3ac84808b54f')), false);
  });

  it('gives up on an engine that never answers, with exit 3 and what to do', async () => {
    await assert.rejects(dockerCall('remove sd-x-web-1', () => new Promise(() => undefined), 50), (e: Error & { exitCode?: number }) =>
      e.exitCode === 3 && /did not answer 'remove sd-x-web-1' within 0\.05 s: it may be wedged; restart dockerd/.test(e.message),
    );
  });
});
