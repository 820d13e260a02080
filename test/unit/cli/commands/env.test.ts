import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { envsToDestroy } from '../../../../harness/cli/commands/env.js';
import { LABEL } from '../../../../harness/provider/labels.js';
import type { Leftover } from '../../../../harness/provider/provider.js';
import { BadInputError } from '../../../../harness/errors.js';

const object = (kind: Leftover['kind'], env: string): Leftover => ({ kind, id: `${kind}-${env}`, name: `${kind}-${env}`, labels: { [LABEL.env]: env } });
const engine = [object('container', 'e0000000a'), object('network', 'e0000000a'), object('container', 'e0000000b')];
const onEngine = async () => engine;
const untouched = async (): Promise<Leftover[]> => assert.fail('the engine was asked');

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof BadInputError, `expected BadInputError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('cli/commands/env', () => {
  describe('envsToDestroy', () => {
    it('an environment on the engine: that one', async () => assert.deepEqual(await envsToDestroy('e0000000b', false, onEngine), ['e0000000b']));

    it('--all: every environment on the engine, once each', async () => assert.deepEqual(await envsToDestroy(undefined, true, onEngine), ['e0000000a', 'e0000000b']));

    it('an id that is on no object of the engine: no such environment, see env ls', () =>
      rejects(envsToDestroy('e0000000c', false, onEngine), /^no environment 'e0000000c' on the engine: see 'shakedown env ls'$/));

    it('a malformed id: no such environment, before asking the engine', () =>
      rejects(envsToDestroy('nope', false, untouched), /^no environment 'nope': an id is e and 8 hex digits; see 'shakedown env ls'$/));

    it('neither an id nor --all, or both', async () => {
      await rejects(envsToDestroy(undefined, false, untouched), /needs an environment id or --all/);
      await rejects(envsToDestroy('e0000000a', true, untouched), /needs an environment id or --all/);
    });
  });
});
