import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { newRunId } from '../environment/ids.js';
import { planServers } from '../environment/launch.js';
import { catalog } from '../images/catalog.js';
import { channelSpec } from '../images/channels.js';
import { inspectLineage } from '../images/lineage.js';
import { checkMap, describeSource, imageMap, type ImageSource } from '../images/select.js';
import { sweepBeforeLaunch } from '../janitor/janitor.js';
import { info } from '../log.js';
import { resolveRef, treeAt, workingTreeOrigin, type Origin } from '../project/git.js';
import { homeProject, loadProject, project, useTree } from '../project/index.js';
import { CHANNEL_NAME } from '../project/schema.js';
import { admitCost } from '../provider/aws/cost.js';
import { awsSettings, chooseProvider, MAX_INSTANCES } from '../provider/choose.js';
import { checkInotifyRoom, serversRoom } from '../provider/docker/host-limits.js';
import { setSuitesDir } from '../suite/discover.js';
import { selectUnits } from '../suite/select.js';
import type { Unit } from '../suite/plan.js';
import { checkSyntax } from '../suite/syntax.js';
import { defaultTopology, loadTopology } from '../topology/load.js';
import type { Topology } from '../topology/schema.js';
import { qualify } from './qualify.js';
import { writeReports } from './reports.js';
import { atVersion, fromBase, type ImageUse, type RunReport } from './results.js';
import type { Order } from './schedule.js';
import { consoleProgress, runEvidence, runGate } from './wiring.js';

export type From = 'prebuilt' | 'base' | 'both';

/** Nothing to run once the selection is applied (a pipeline skips the stage). */
export class NoSuitesError extends BadInputError {}

/** The upgrade's source: images and the version they run. */
export interface UpgradeSource {
  images: ImageSource;
  version: string;
}

export interface RunFlags {
  suite: string;
  suitesDir?: string;
  topology?: string;
  base?: string;
  defect: string[];
  junit?: string;
  json?: string;
  html?: string;
  results?: string;
  ttl: number;
  workers: number;
  retries: number;
  /** Each unit runs this many times; one that fails in any run fails (default 1). */
  repeat?: number;
  order: Order;
  keepOnFailureMs?: number;
  gate: boolean;
  launchConcurrency?: number;
  launchTries: number;
  from: From;
  /** The project as committed at this ref: its suites, topologies, configuration code and images. */
  ref?: string;
  /** What reports call the ref, when `ref` is a commit a pipeline pinned. */
  refName?: string;
  /** The version plain units launch at (default: the topology's). */
  version?: string;
  /** Prebuilt images from this channel. */
  channel?: string;
  /** Upgrade suites launch on this channel's images. */
  upgradeFrom?: string;
  /** The upgrade's target: a channel (its ref) or a ref. */
  upgradeTo?: string;
  /** For pipelines: only the upgrade suites, or all but them. */
  only?: 'upgrade' | 'not-upgrade';
  /** For pipelines: the upgrade's source given as images, not as a channel. */
  upgradeSource?: UpgradeSource;
  /** docker or aws (default: the project file's provider, else docker). */
  provider?: string;
  /** On AWS: refuse a run that could hold more instances at once (default 20). */
  maxInstances?: number;
}

export interface RunOutcome {
  report: RunReport;
  exitCode: number;
  resultsDir: string;
}

type Planned = { unit: Unit; topology: Topology };


/** Which tree the run works on, and which images its plain units use. */
function chooseTree(f: RunFlags): { origin: Origin; images: ImageSource; version?: string } {
  if (f.ref && f.upgradeTo) throw new BadInputError('--ref and --upgrade-to both name the tree to run: give one');
  const home = homeProject();
  const ref = f.ref ?? (f.upgradeTo ? (CHANNEL_NAME.test(f.upgradeTo) ? channelSpec(f.upgradeTo).ref : f.upgradeTo) : undefined);
  const channel = f.channel ? channelSpec(f.channel) : undefined;
  const version = f.version ?? channel?.version;
  if (!ref) {
    useTree(undefined);
    const origin = workingTreeOrigin(home);
    return { origin, images: channel ? { kind: 'channel', channel: channel.name } : { kind: 'working-tree' }, version };
  }
  const commit = resolveRef(home.root, ref);
  useTree(loadProject(treeAt(home.root, commit)));
  const name = f.refName ?? ref;
  const images: ImageSource = channel ? { kind: 'channel', channel: channel.name } : { kind: 'commit', commit, ref: name };
  return { origin: { ref: name, commit, dirty: false }, images, version };
}

/** Every suite expanded and compiled, every topology validated and its images resolved, before anything is created. */
async function planAll(f: RunFlags, images: ImageSource, version: string | undefined): Promise<Planned[]> {
  setSuitesDir(f.suitesDir);
  const upgrade: UpgradeSource | undefined =
    f.upgradeSource ?? (f.upgradeFrom ? { images: { kind: 'channel', channel: channelSpec(f.upgradeFrom).name }, version: channelSpec(f.upgradeFrom).version } : undefined);
  const versions = project().versions.map((v) => v.name);
  if (version && !versions.includes(version)) throw new BadInputError(`--version ${version}: not a version of the project (${versions.join(', ')})`);
  const units = selectUnits(f.suite, () => f.topology ?? defaultTopology()).filter((u) => !f.only || (f.only === 'upgrade') === !!u.upgrade);
  if (!units.length) throw new NoSuitesError(`no suite to run: ${f.only === 'upgrade' ? "no suite declares \"upgrade\": true in its suite.json" : `--suite ${f.suite} names none`}`);
  checkSyntax([...new Set(units.flatMap((u) => u.steps.flatMap((s) => (s.kind === 'specs' ? s.files : []))))]);
  const planned: Planned[] = [];
  const maps = new Map<string, Record<string, string> | undefined>();
  for (const unit of units) {
    const loaded = loadTopology(unit.topology ?? f.topology ?? defaultTopology(), catalog(), f.defect, f.base);
    const source = unit.upgrade && upgrade ? upgrade.images : images;
    const unitVersion = unit.upgrade ? (upgrade?.version ?? loaded.version) : (version ?? loaded.version);
    const key = `${JSON.stringify(source)}|${loaded.base}`;
    if (!maps.has(key)) maps.set(key, await imageMap(source, loaded.base));
    const froms: ('prebuilt' | 'base')[] = unit.upgrade && upgrade ? ['prebuilt'] : f.from === 'both' ? ['prebuilt', 'base'] : [f.from];
    for (const from of froms) {
      const topology: Topology = { ...loaded, version: unitVersion, from, images: maps.get(key), upgradeTo: unit.upgrade ? (version ?? versions.at(-1)) : undefined };
      if (from === 'base') topology.name = fromBase(loaded.name);
      else if (unit.upgrade && (upgrade || unitVersion !== (version ?? loaded.version))) topology.name = atVersion(loaded.name, unitVersion);
      else checkMap(topology.images, Object.values(loaded.roles).map((r) => r.image), unitVersion, source, loaded.base);
      planned.push({ unit, topology });
    }
  }
  return planned;
}

/** The servers of the widest topology the run needs: what each worker may hold at once. */
function widestOf(units: Planned[]) {
  return units.map((u) => planServers(u.topology)).reduce((a, b) => (b.length > a.length ? b : a));
}

/** The images a run used, with their lineage and whether servers were launched from them as base or prebuilt. */
async function lineageOf(r: RunReport): Promise<ImageUse[]> {
  const uses: ImageUse[] = [];
  for (const tag of r.images) {
    const l = await inspectLineage(tag);
    if (l) uses.push({ ...l, tag, from: l.role === 'base' ? 'base' : 'prebuilt' });
  }
  return uses;
}

/** Plans, checks, runs and reports suites; the CLI's `run` and the pipelines' stages. */
export async function runSuites(f: RunFlags): Promise<RunOutcome> {
  try {
    const tree = chooseTree(f);
    const units = await planAll(f, tree.images, tree.version);
    const run = newRunId();
    const resultsDir = path.resolve(f.results ?? path.join('shakedown-results', run));
    const provider = await chooseProvider(f.provider);
    // On AWS, what the run may create and cost is shown, and bounded, before any call to AWS.
    if (provider.name === 'aws') admitCost(awsSettings(), widestOf(units), f.workers, f.maxInstances ?? MAX_INSTANCES);
    // Every image of every topology is checked before the first container: a missing one creates nothing.
    const images = [...new Set(units.flatMap((u) => planServers(u.topology).map((s) => s.image)))];
    await provider.preflight(images);
    // Each worker holds one environment at a time; systemd in every server needs inotify instances.
    const widest = Math.max(...units.map((u) => planServers(u.topology).length));
    if (provider.name === 'docker') checkInotifyRoom(f.workers * widest, `--workers ${f.workers}`);
    // Spares beyond one environment per worker launch only while there is room for them: the
    // host's inotify instances locally, the instance bound on AWS.
    const room = provider.name === 'docker' ? serversRoom() : (f.maxInstances ?? MAX_INSTANCES);
    await sweepBeforeLaunch(provider);
    mkdirSync(resultsDir, { recursive: true });
    info({ run }, `${tree.origin.ref} (commit ${tree.origin.commit.slice(0, 12)}${tree.origin.dirty ? ', uncommitted changes' : ''}), ${f.from === 'base' ? 'every server from the base image' : describeSource(tree.images)}`);
    const { report, exitCode } = await qualify({
      units,
      provider,
      run,
      ttlMs: f.ttl,
      workers: f.workers,
      retries: f.retries,
      repeat: f.repeat,
      order: f.order,
      keepOnFailureMs: f.keepOnFailureMs,
      launchConcurrency: f.launchConcurrency ?? Math.min(f.workers, 2),
      maxEnvironments: room === undefined ? undefined : Math.max(f.workers, Math.floor(room / widest)),
      launchTries: f.launchTries,
      backoffMs: Number(process.env.SHAKEDOWN_LAUNCH_BACKOFF_MS ?? 2000),
      gate: f.gate ? runGate() : undefined,
      evidence: runEvidence(resultsDir),
      progress: consoleProgress(f.workers),
    });
    report.resultsDir = resultsDir;
    report.origin = tree.origin;
    report.from = f.from;
    report.lineage = await lineageOf(report).catch(() => []);
    writeReports(report, resultsDir, { junit: f.junit, json: f.json, html: f.html });
    return { report, exitCode, resultsDir };
  } finally {
    useTree(undefined);
  }
}
