import type { LogContext } from '../log.js';
import type { HostKey } from '../ssh/keys.js';
import type { Owner } from './labels.js';

/** One server to create: everything a provider needs, already resolved from the topology. */
export interface ServerSpec {
  name: string;
  role: string;
  image: string;
  volumes: { name: string; path: string }[];
  publish: number[];
}

export interface LaunchRequest {
  owner: Owner;
  servers: ServerSpec[];
  /** The run's public key, in authorized_keys form; it reaches servers at launch, never through an image. */
  authorizedKey: string;
  ctx: LogContext;
  /** Told of each server as soon as it is up (address and host key known), before the rest are. */
  onServer?: (server: LaunchedServer) => void;
}

/** How to reach a server by SSH: the bastion from this machine, the others from the bastion. */
export interface Address {
  host: string;
  port: number;
}

export interface LaunchedServer {
  spec: ServerSpec;
  address: Address;
  hostKey: HostKey;
}

/** What a run leaves on AWS: its Pulumi stacks, and what EC2 holds for them. */
export type AwsKind =
  | 'stack' | 'instance' | 'address' | 'network-interface' | 'image' | 'snapshot' | 'key-pair'
  | 'security-group' | 'route-table' | 'internet-gateway' | 'subnet' | 'vpc';

/** Something a run created and may have left behind. */
export interface Leftover {
  kind: 'container' | 'network' | 'volume' | AwsKind;
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** What every provider can do: the contract the environment lifecycle is written against. */
export interface Provider {
  readonly name: string;
  /** Fails fast, before anything is created: engine reachable, every image present. */
  preflight(images: string[]): Promise<void>;
  launch(request: LaunchRequest): Promise<LaunchedServer[]>;
  destroy(envId: string): Promise<void>;
  /** Reboots a server from outside, as a hypervisor would. */
  reboot(envId: string, server: string): Promise<void>;
  /** Re-creates a server from its image with its volumes re-attached; it comes back with a new host key. */
  relaunch(envId: string, request: LaunchRequest, server: ServerSpec): Promise<LaunchedServer>;
  /** Where to reach a server now: a restart may move the bastion's published port. */
  address(envId: string, server: ServerSpec): Promise<Address>;
  /** How many times the server has booted far enough to print its host key on its console. */
  consoleBoots(envId: string, server: string): Promise<number>;
  /** Reads a server's host key out of band (its console), never over SSH. */
  hostKey(envId: string, server: string): Promise<HostKey>;
  /** Everything labelled as Shakedown's, live runs included. */
  leftovers(): Promise<Leftover[]>;
  remove(leftovers: Leftover[]): Promise<void>;
}
