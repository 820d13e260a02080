import type { EnvironmentRecord } from '../../../harness/environment/environment.js';
import type { KeptState } from '../../../harness/environment/state.js';

/** A kept environment's state with only what the janitor and state files read. */
export const keptState = (id: string, expires: string): KeptState => ({
  record: { id, expires, keep: true, servers: [] } as unknown as EnvironmentRecord,
  key: { privateKey: 'private', publicKey: 'public' },
});
