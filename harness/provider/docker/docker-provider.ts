import type Dockerode from 'dockerode';
import PQueue from 'p-queue';
import { InfrastructureError } from '../../errors.js';
import { debug } from '../../log.js';
import type { HostKey } from '../../ssh/keys.js';
import { BUILDER_LABEL, builderOwner } from '../../images/builder-label.js';
import { LABEL, ownerLabels, type Owner } from '../labels.js';
import type { LaunchedServer, LaunchRequest, Leftover, Provider, ServerSpec } from '../provider.js';
import { CONSOLE_END, hostKeyFromConsole } from './console.js';
import { classifyDockerError, dockerCall, engine, hasActiveEndpoints, isNotFound, isRemovalInProgress } from './engine.js';
import { Addresses } from './addresses.js';
import { Creations } from './creations.js';
import { ServerContainer } from './server-container.js';
import { bindOptions, fillOnHost, fillsOnHost, sweepHostFolders, writeOnHost } from './volume-fill.js';
import { seedVolumes } from './volume-seed.js';

const REMOVAL_WAIT_MS = 60_000;

/**
 * Waits until a container another party is removing is gone: its network and volumes can be
 * removed only then, and two sweeps at once (two runs starting together) must both succeed.
 */
async function removedElsewhere(docker: Dockerode, id: string): Promise<void> {
  const deadline = Date.now() + REMOVAL_WAIT_MS;
  for (;;) {
    try {
      await docker.getContainer(id).inspect();
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (Date.now() > deadline) throw new InfrastructureError(`container ${id.slice(0, 12)}: its removal, begun elsewhere, did not finish within ${REMOVAL_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const names = {
  network: (env: string) => `sd-${env}`,
  container: (env: string, server: string) => `sd-${env}-${server}`,
  volume: (env: string, server: string, vol: string) => `sd-${env}-${server}-${vol}`,
  /** A dot: no server-and-volume name can make it. */
  keys: (env: string) => `sd-${env}.authorized-keys`,
};

/** The local default: servers are systemd containers on one Docker network per environment. */
export class DockerProvider implements Provider {
  readonly name = 'docker';
  private readonly creations = new Creations();
  private readonly addresses = new Addresses();
  /**
   * Containers this process is starting (from the start request until the container runs; boots are
   * not bounded), two at a time. Docker 20.10 does much of a start one container at a time: each
   * re-executes dockerd three times (set-ipv6, setup-resolver, the libnetwork-setkey hook, about 50 ms
   * of CPU each here) and runs a dozen iptables commands under one lock. Five servers started together
   * all waited on it and began booting late, the CPU half idle meanwhile; two at a time, the first
   * servers boot while the engine sets up the next (SSH-ready p50 of the default set 2.67 s instead of
   * 2.90 s, 10 launches of each interleaved, measured here; one at a time did no better).
   */
  private readonly starts = new PQueue({ concurrency: 2 });

  async preflight(images: string[]): Promise<void> {
    const { docker } = await engine();
    // Looked up together: each look-up is a round trip to the engine, and they are on the launch's path.
    const check = async (image: string) => {
      try {
        await docker.getImage(image).inspect();
      } catch (error) {
        if (!isNotFound(error)) throw classifyDockerError(`inspect image ${image}`, error);
        throw new InfrastructureError(`image ${image} is missing: build it with 'npx shakedown images build'`);
      }
    };
    await Promise.all([...new Set(images)].map(check));
  }

  async launch(request: LaunchRequest): Promise<LaunchedServer[]> {
    const { docker } = await engine();
    const env = request.owner.env;
    const labels = ownerLabels(request.owner);
    this.creations.guard(env);
    // The network (a probe network first, to learn its subnet) and each server's volumes are
    // independent: made together, and a server starts once its own volumes and the network exist.
    const network = this.creations.track(env, this.addresses.createNetwork(docker, env, names.network(env), labels));
    const onHost = await fillsOnHost(docker);
    const keys = onHost ? this.creations.track(env, this.keysVolume(docker, request)) : undefined;
    const servers = request.servers.map(async (s) => {
      await Promise.all([network, keys, this.prepareVolumes(docker, request.owner, s, onHost)]);
      return this.startServer(request, s, onHost);
    });
    const launched = await Promise.all(servers);
    // Tracked, so destroying this environment waits for the probe network to be gone too.
    void this.creations.track(env, this.addresses.probeAhead(docker, names.network(env), labels));
    return launched;
  }

  /**
   * A server's volumes, created and filled from its image before the server is created: on this
   * host (volume-fill.ts) when it can, else by Docker, through a seed container (volume-seed.ts).
   */
  private async prepareVolumes(docker: Dockerode, owner: Owner, server: ServerSpec, onHost: boolean): Promise<void> {
    if (!server.volumes.length) return;
    const volume = (v: string) => names.volume(owner.env, server.name, v);
    await Promise.all(server.volumes.map((v) => this.createVolume(docker, owner, server, v.name, onHost)));
    this.creations.guard(owner.env);
    if (onHost) {
      const fills = server.volumes.map((v) => fillOnHost(docker, { image: server.image, dir: v.path, volume: volume(v.name), labels: ownerLabels(owner) }));
      return void (await this.creations.track(owner.env, Promise.all(fills).then(() => undefined)));
    }
    const binds = server.volumes.map((v) => `${volume(v.name)}:${v.path}`);
    const name = `${names.container(owner.env, server.name)}-seed`;
    await this.creations.track(owner.env, seedVolumes(docker, { name, image: server.image, server: server.name, labels: ownerLabels(owner), binds }));
  }

  /**
   * The run's public key in a volume of the environment's own, filled on this host and mounted
   * read-only where sshd looks for it: copying it into each container before its start costs a
   * re-executed dockerd each (about 90 ms of CPU here, measured), five on a launch's path.
   */
  private async keysVolume(docker: Dockerode, request: LaunchRequest): Promise<void> {
    const Name = names.keys(request.owner.env);
    this.creations.guard(request.owner.env);
    await dockerCall(`create volume ${Name}`, () => docker.createVolume({ Name, Labels: ownerLabels(request.owner), DriverOpts: bindOptions(Name) }));
    writeOnHost(Name, { testadmin: `${request.authorizedKey}\n` });
  }

  private async createVolume(docker: Dockerode, owner: Owner, server: ServerSpec, vol: string, onHost: boolean): Promise<void> {
    const Labels = { ...ownerLabels(owner), [LABEL.server]: server.name, [LABEL.role]: server.role };
    const Name = names.volume(owner.env, server.name, vol);
    this.creations.guard(owner.env);
    await this.creations.track(owner.env, dockerCall(`create volume ${vol} for ${server.name}`, () =>
      docker.createVolume({ Name, Labels, ...(onHost ? { DriverOpts: bindOptions(Name) } : {}) }),
    ));
  }

  /** `keysOnHost`: the run's key is in the environment's keys volume (keysVolume), else it is copied into the container. */
  private async startServer(request: LaunchRequest, spec: ServerSpec, keysOnHost: boolean, address?: string): Promise<LaunchedServer> {
    const env = request.owner.env;
    const labels = {
      ...ownerLabels(request.owner),
      [LABEL.server]: spec.name,
      [LABEL.role]: spec.role,
      'shakedown.container-name': names.container(env, spec.name),
    };
    const ip = address ?? (await this.addresses.next((await engine()).docker, env, names.network(env)));
    let created!: () => void;
    this.creations.track(env, new Promise<void>((resolve) => (created = resolve)));
    const container = new ServerContainer(spec, { name: names.network(env), ip }, labels, (v) => names.volume(env, spec.name, v));
    if (keysOnHost) container.withAuthorizedKeys(names.keys(env));
    else container.withAuthorizedKey(request.authorizedKey);
    container.withCreationHooks(() => this.creations.guard(env), created).withStartQueue(this.starts);
    const started = await dockerCall(`start ${spec.name} from ${spec.image}`, () => container.start()).finally(() => {
      created();
      container.releaseStart();
    });
    debug({ ...request.ctx, server: spec.name }, `container ${started.getId().slice(0, 12)} started`);
    const launched = { spec, address: await this.address(env, spec), hostKey: await this.hostKey(env, spec.name) };
    request.onServer?.(launched);
    return launched;
  }

  async address(env: string, spec: ServerSpec): Promise<{ host: string; port: number }> {
    if (!spec.publish.length) return { host: spec.name, port: 22 };
    const { docker } = await engine();
    const info = await dockerCall(`inspect ${spec.name}`, () => docker.getContainer(names.container(env, spec.name)).inspect());
    const binding = info.NetworkSettings.Ports[`${spec.publish[0]}/tcp`]?.[0];
    if (!binding) throw new InfrastructureError(`${spec.name}: port ${spec.publish[0]} was not published`);
    return { host: binding.HostIp || '127.0.0.1', port: Number(binding.HostPort) };
  }

  private async console(env: string, server: string): Promise<string> {
    const { docker } = await engine();
    const buf = await dockerCall(`read the console of ${server}`, () =>
      docker.getContainer(names.container(env, server)).logs({ stdout: true, stderr: true, follow: false }),
    );
    return buf.toString('utf8');
  }

  async consoleBoots(env: string, server: string): Promise<number> {
    return (await this.console(env, server)).split(CONSOLE_END).length - 1;
  }

  async hostKey(env: string, server: string): Promise<HostKey> {
    const key = hostKeyFromConsole(await this.console(env, server));
    if (!key) throw new InfrastructureError(`${server}: no host key on its console yet; the server did not finish its first boot`);
    return key;
  }

  async reboot(env: string, server: string): Promise<void> {
    const { docker } = await engine();
    await dockerCall(`reboot ${server}`, () => docker.getContainer(names.container(env, server)).restart({ t: 20 }));
  }

  async relaunch(env: string, request: LaunchRequest, spec: ServerSpec): Promise<LaunchedServer> {
    const { docker } = await engine();
    // Chosen while the old server still holds its address, so the new one cannot be given it back.
    const address = await this.addresses.next(docker, env, names.network(env));
    await dockerCall(`remove ${spec.name}`, () => docker.getContainer(names.container(env, spec.name)).remove({ force: true }));
    const keysOnHost = await docker.getVolume(names.keys(env)).inspect().then(() => true, (e: unknown) => (isNotFound(e) ? false : Promise.reject(classifyDockerError(`inspect volume ${names.keys(env)}`, e))));
    return this.startServer(request, spec, keysOnHost, address);
  }

  async destroy(env: string): Promise<void> {
    await this.creations.doom(env);
    this.addresses.forget(env);
    const all = await this.leftovers();
    await this.remove(all.filter((l) => l.labels[LABEL.env] === env));
  }

  async leftovers(): Promise<Leftover[]> {
    const { docker } = await engine();
    const filters = JSON.stringify({ label: [LABEL.run] });
    const [containers, networks, volumes, builders] = await dockerCall('list Shakedown objects', () =>
      Promise.all([
        docker.listContainers({ all: true, filters }),
        docker.listNetworks({ filters }),
        docker.listVolumes({ filters }),
        docker.listContainers({ all: true, filters: JSON.stringify({ label: [BUILDER_LABEL] }) }),
      ]),
    );
    const named = (c: { Id: string; Names: string[] }) => c.Names[0]?.replace(/^\//, '') ?? c.Id;
    // An image build's containers carry their builder's process in one label, not a run's labels.
    const building = builders.flatMap((c) => {
      const owner = c.Labels[LABEL.run] ? undefined : builderOwner(c.Labels[BUILDER_LABEL]);
      return owner ? [{ kind: 'container' as const, id: c.Id, name: named(c), labels: { ...c.Labels, ...owner } }] : [];
    });
    return [
      ...containers.map((c) => ({ kind: 'container' as const, id: c.Id, name: named(c), labels: c.Labels })),
      ...building,
      ...networks.map((n) => ({ kind: 'network' as const, id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
      ...(volumes.Volumes ?? []).map((v) => ({ kind: 'volume' as const, id: v.Name, name: v.Name, labels: v.Labels ?? {} })),
    ];
  }

  /** Containers first, then what they used: a network or volume in use cannot be removed. */
  async remove(leftovers: Leftover[]): Promise<void> {
    const { docker } = await engine();
    const gone = (e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e));
    const of = (kind: Leftover['kind']) => leftovers.filter((l) => l.kind === kind);
    const elsewhere = (id: string) => (e: unknown) => (isRemovalInProgress(e) ? removedElsewhere(docker, id) : gone(e));
    await dockerCall('remove containers', () =>
      Promise.all(of('container').map((c) => docker.getContainer(c.id).remove({ force: true }).catch(elsewhere(c.id)))),
    );
    // Networks and volumes are independent: one that cannot go does not keep the others.
    const failed = (await Promise.allSettled([
      dockerCall('remove networks', () => Promise.all(of('network').map((n) => removeNetwork(docker, n.name, n.id).catch(gone)))),
      dockerCall('remove volumes', () => Promise.all(of('volume').map((v) => docker.getVolume(v.id).remove().catch(gone)))),
    ])).flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    // A volume filled on this host goes with its folder, once no container can use it; a folder whose
    // volume went in a process killed since is swept with them (a folder is made after its volume).
    if (of('volume').length) await sweepHostFolders(async () => new Set(((await dockerCall('list volumes', () => docker.listVolumes())).Volumes ?? []).map((v) => v.Name)));
    if (failed.length) throw failed[0];
  }
}

/**
 * Removes a network; Docker may still count the endpoint of a container just removed for a moment,
 * so that is tried again. An endpoint counted for good (a Docker 20.10 fault: no container holds it)
 * only goes with a restart of the engine, which the error says.
 */
async function removeNetwork(docker: Dockerode, name: string, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await docker.getNetwork(id).remove();
    } catch (error) {
      if (!hasActiveEndpoints(error)) throw error;
      if (attempt >= 4) {
        throw new InfrastructureError(`cannot remove network ${name}: Docker counts an endpoint on it that no container holds (an engine fault); restart the Docker engine to free it, then run 'shakedown janitor'`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}
