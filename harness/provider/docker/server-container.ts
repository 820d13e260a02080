import { GenericContainer, Wait } from 'testcontainers';
import type { ServerSpec } from '../provider.js';
import { CONSOLE_END } from './console.js';
import type PQueue from 'p-queue';
import { takeTurn } from './start-turn.js';

const LAUNCH_TIMEOUT_MS = 60_000;

/**
 * A whole server in a container: systemd as PID 1, a console (TTY) to print its host key on,
 * and restart policy `always` so that a reboot inside it is a real reboot.
 */
export class ServerContainer extends GenericContainer {
  constructor(spec: ServerSpec, network: { name: string; ip: string }, labels: Record<string, string>, volumeName: (v: string) => string) {
    super(spec.image);
    this.withName(labels['shakedown.container-name']!)
      .withHostname(spec.name)
      .withLabels(labels)
      .withNetworkMode(network.name)
      // Sized like a real server's /run (a fraction of RAM): a full /run is a real failure a test can
      // cause, and a tmpfs without a limit would let one server eat the host's memory.
      .withTmpFs({ '/run': 'rw,nosuid,nodev,mode=755,size=64m', '/run/lock': 'rw,nosuid,nodev,noexec,size=5m' })
      .withBindMounts([
        { source: '/sys/fs/cgroup', target: '/sys/fs/cgroup', mode: 'ro' },
        ...spec.volumes.map((v) => ({ source: volumeName(v.name), target: v.path, mode: 'rw' as const })),
      ])
      // A real server's root can sandbox services (mount namespaces), see every process's sockets and
      // manage its own network: without these, systemd hardening fails, `ss -p` cannot name non-root
      // listeners, and `ip link set eth0 down` (an admin cutting the server off) is refused.
      .withAddedCapabilities('SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN')
      .withWaitStrategy(Wait.forLogMessage(CONSOLE_END))
      .withStartupTimeout(LAUNCH_TIMEOUT_MS);
    this.createOpts.Tty = true;
    this.createOpts.StopSignal = 'SIGRTMIN+3';
    this.hostConfig.RestartPolicy = { Name: 'always' };
    // Aliases go in the create request: testcontainers' own alias path also joins the default bridge,
    // which would let environments reach each other.
    // The address is the provider's choice (addresses.ts), kept across restarts like a cloud server's.
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.name]: { Aliases: [spec.name, spec.role], IPAMConfig: { IPv4Address: network.ip } } } };
    if (spec.publish.length) {
      this.createOpts.ExposedPorts = Object.fromEntries(spec.publish.map((p) => [`${p}/tcp`, {}]));
      this.hostConfig.PortBindings = Object.fromEntries(spec.publish.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]]));
    }
  }

  private created?: () => void;
  private guard?: () => void;
  private starts?: PQueue;
  private release?: () => void;

  /** Hooks for the provider: refuse to create when the environment is doomed; say when the container exists. */
  withCreationHooks(guard: () => void, created: () => void): this {
    this.guard = guard;
    this.created = created;
    return this;
  }

  /** The start request waits its turn in `starts`; the turn ends once the container runs (or its start failed: releaseStart). */
  withStartQueue(starts: PQueue): this {
    this.starts = starts;
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.guard?.();
  }

  protected override async containerCreated(): Promise<void> {
    this.created?.();
    this.release = this.starts && (await takeTurn(this.starts));
    // The environment may have been doomed while this start waited: it is not started then.
    this.guard?.();
  }

  protected override async containerStarting(): Promise<void> {
    this.releaseStart();
  }

  releaseStart(): void {
    this.release?.();
  }

  /** The authorized keys from a volume (filled on the engine's host), read-only, instead of a copy. */
  withAuthorizedKeys(volume: string): this {
    this.hostConfig.Binds = [...(this.hostConfig.Binds ?? []), `${volume}:/etc/ssh/authorized_keys:ro`];
    return this;
  }

  withAuthorizedKey(publicKey: string): this {
    return this.withCopyContentToContainer([{ content: publicKey + '\n', target: '/etc/ssh/authorized_keys/testadmin', mode: 0o644 }]);
  }
}
