import { environment } from '../context.js';
import type { Server } from '../../environment/server.js';
import type { Fault } from './fault.js';
import { stopService, freezeService } from './service.js';
import { cutNetwork, isolate } from './network.js';
import { addLatency, addLoss } from './link.js';
import { fillFilesystem } from './filesystem.js';
import { breakResolution } from './resolution.js';

export { revertFaults, withFault, type Fault, type FaultRecord } from './fault.js';

/**
 * Faults a suite applies to its environment's servers, as an admin through SSH. Each returns a
 * Fault to `revert()`; each is on the unit's report, and one still in place when the unit ends
 * makes the health gate discard the environment.
 */
export const faults = {
  stopService,
  freezeService,
  /** Cuts the network between two servers, both directions (each server's own rules, reverted together). */
  cutNetwork: (a: Server, b: Server): Promise<Fault> => cutNetwork(environment(), a, b),
  /** Isolates a server from its peers; the bastion still reaches it over SSH. */
  isolate: (server: Server): Promise<Fault> => isolate(environment(), server),
  /** Drops a share of the packets a server exchanges with its peers; the bastion's SSH is spared. */
  addLoss: (server: Server, percent: number): Promise<Fault> => addLoss(environment(), server, percent),
  addLatency,
  fillFilesystem,
  breakResolution,
};
