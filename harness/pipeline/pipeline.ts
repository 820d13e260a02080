import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { EXIT, exitCodeOf, ShakedownError } from '../errors.js';
import { buildImages } from '../images/build.js';
import { channelImages, channelSpec, type ChannelSpec } from '../images/channels.js';
import { projectImages, type Lineage } from '../images/lineage.js';
import { promote, pruneImages } from '../images/manage.js';
import type { ImageSource } from '../images/select.js';
import { info } from '../log.js';
import { resolveRef } from '../project/git.js';
import { homeProject } from '../project/index.js';
import { NoSuitesError, runSuites, type RunFlags, type UpgradeSource } from '../run/run-suites.js';
import { writePipelineReport, type PipelineReport, type StageReport } from './report.js';

/** The run flags a pipeline passes on to each of its runs. */
export type StageFlags = Omit<RunFlags, 'suite' | 'only' | 'from' | 'ref' | 'refName' | 'version' | 'channel' | 'upgradeFrom' | 'upgradeTo' | 'upgradeSource' | 'results' | 'junit' | 'json' | 'html'>;

export interface PipelineOptions {
  flags: StageFlags;
  /** Where the pipeline's folder goes (default shakedown-results). */
  resultsRoot: string;
  keep: number;
}

/** A channel with its ref resolved once, when the pipeline starts: a commit made meanwhile changes nothing. */
type Pinned = ChannelSpec & { commit: string };
const pinned = (name: string): Pinned => {
  const c = channelSpec(name);
  return { ...c, commit: resolveRef(homeProject().root, c.ref) };
};

/** Runs stages in order, timing each; a stage that throws is that stage's error, and the pipeline goes on where it can. */
class Pipeline {
  readonly stages: StageReport[] = [];
  readonly started = Date.now();
  readonly dir: string;
  readonly images: Lineage[] = [];

  constructor(readonly kind: 'nightly' | 'branch', readonly name: string, readonly o: PipelineOptions) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    this.dir = path.resolve(o.resultsRoot, `${kind === 'nightly' ? 'nightly' : `branch-${name}`}-${stamp}`);
    mkdirSync(this.dir, { recursive: true });
  }

  async stage(name: string, work: (dir: string) => Promise<Omit<StageReport, 'name' | 'ms'>>): Promise<StageReport> {
    const started = Date.now();
    info({}, `stage ${this.stages.length + 1}: ${name}`);
    let r: Omit<StageReport, 'name' | 'ms'>;
    try {
      r = await work(path.join(this.dir, `${String(this.stages.length + 1).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`));
    } catch (error) {
      if (!(error instanceof ShakedownError)) throw error;
      r = error instanceof NoSuitesError ? { outcome: 'skipped', exitCode: 0, detail: error.message } : { outcome: 'error', exitCode: exitCodeOf(error), detail: error.message };
    }
    const stage = { name, ms: Date.now() - started, ...r };
    this.stages.push(stage);
    info({}, `stage ${name}: ${stage.outcome} in ${(stage.ms / 1000).toFixed(1)} s${stage.detail ? ` (${stage.detail})` : ''}`);
    return stage;
  }

  skip(name: string, why: string): void {
    this.stages.push({ name, ms: 0, outcome: 'skipped', exitCode: 0, detail: why });
  }

  get green(): boolean {
    return this.stages.every((s) => s.outcome === 'passed' || s.outcome === 'skipped');
  }

  /** Whether the images are there for the test stages. */
  async build(channel: Pinned): Promise<boolean> {
    const stage = await this.stage(`build ${channel.name}`, async () => {
      const reports = await buildImages({ ref: channel.commit, refName: channel.ref });
      this.images.push(...reports.filter((r) => r.lineage.role !== 'base' && r.lineage.version === channel.version).map((r) => r.lineage));
      const built = reports.filter((r) => r.built).length;
      return { outcome: 'passed', exitCode: 0, detail: `${channel.ref}: ${built} built, ${reports.length - built} up to date` };
    });
    return stage.outcome === 'passed';
  }

  /** Every suite on prebuilt and base images of a channel's ref, at its version. */
  suites(channel: Pinned): Promise<StageReport> {
    return this.stage(`suites on ${channel.name} (prebuilt and base)`, (dir) => this.run(dir, { suite: 'all', only: 'not-upgrade', from: 'both', ref: channel.commit, refName: channel.ref, version: channel.version }));
  }

  /** The target's upgrade suites on the source's images. */
  upgrade(from: Pinned, to: Pinned, source: UpgradeSource): Promise<StageReport> {
    return this.stage(`upgrade ${from.name} to ${to.name}`, (dir) =>
      this.run(dir, { suite: 'all', only: 'upgrade', from: 'prebuilt', ref: to.commit, refName: to.ref, version: to.version, upgradeSource: source }),
    );
  }

  async run(dir: string, f: Pick<RunFlags, 'suite' | 'only' | 'from' | 'ref' | 'refName' | 'version' | 'upgradeSource'>): Promise<Omit<StageReport, 'name' | 'ms'>> {
    const { report, exitCode, resultsDir } = await runSuites({ ...this.o.flags, ...f, results: dir });
    const outcome = report.outcome === 'passed' && !report.flaky ? 'passed' : report.outcome === 'passed' ? 'failed' : report.outcome;
    const detail = `${report.passed} passed, ${report.failed} failed, ${report.flaky} flaky, ${report.infra} infra; makespan ${(report.makespanMs / 1000).toFixed(1)} s`;
    return { outcome, exitCode: exitCode || (report.flaky ? EXIT.failed : 0), detail, results: resultsDir, run: report };
  }

  /** The upgrade source: the channel's promoted images, or (never promoted yet) its ref's images, built now. */
  async sourceOf(channel: Pinned): Promise<UpgradeSource> {
    if (channelImages(channel.name)) return { images: { kind: 'channel', channel: channel.name }, version: channel.version };
    const commit = channel.commit;
    if (!(await projectImages(homeProject().name)).some((l) => l.commit === commit && l.version === channel.version)) {
      await this.stage(`build ${channel.name}`, async () => {
        await buildImages({ ref: commit, refName: channel.ref, versions: [channel.version] });
        return { outcome: 'passed', exitCode: 0, detail: `${channel.name} was never promoted: built from ${channel.ref}` };
      });
    }
    const images: ImageSource = { kind: 'commit', commit, ref: channel.ref };
    return { images, version: channel.version };
  }

  async promoteIfGreen(channel: string, from: StageReport | undefined): Promise<void> {
    if (!this.green || !from?.results) return this.skip(`promote ${channel}`, 'an earlier stage did not pass');
    await this.stage(`promote ${channel}`, async () => {
      const p = promote(channel, from.results!);
      return { outcome: 'passed', exitCode: 0, detail: `${p.images.length} images of run ${p.run}` };
    });
  }

  async prune(): Promise<void> {
    await this.stage('prune', async () => {
      const r = await pruneImages(this.o.keep);
      return { outcome: 'passed', exitCode: 0, detail: `${r.removed.length} removed, ${r.kept.length} kept (--keep ${this.o.keep})` };
    });
  }

  finish(): PipelineReport {
    const failed = this.stages.find((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
    const exitCode = failed ? Math.max(...this.stages.map((s) => s.exitCode)) || EXIT.failed : EXIT.passed;
    const report: PipelineReport = {
      pipeline: this.kind,
      name: this.name,
      project: homeProject().name,
      startedAt: new Date(this.started).toISOString(),
      ms: Date.now() - this.started,
      outcome: failed ? (failed.outcome === 'error' ? 'error' : 'failed') : 'passed',
      exitCode,
      stages: this.stages,
      images: this.images,
      dir: this.dir,
    };
    writePipelineReport(report, this.o.resultsRoot);
    info({}, `${this.kind} ${report.outcome} in ${(report.ms / 1000).toFixed(1)} s: ${path.relative(process.cwd(), this.dir) || this.dir}/pipeline.html`);
    return report;
  }
}

/**
 * The nightly continuous-imaging run: build development's images, every suite on them (prebuilt
 * and base), the upgrade from production to development, promote development if all passed, prune.
 */
export async function nightly(o: PipelineOptions): Promise<PipelineReport> {
  const development = pinned('development');
  const production = pinned('production');
  const p = new Pipeline('nightly', 'development', o);
  const built = await p.build(development);
  // Every test stage runs once the images exist, so one night shows every failure; only promotion needs all green.
  const suites = built ? await p.suites(development) : (p.skip('suites', 'the build failed'), undefined);
  if (built) await p.upgrade(production, development, await p.sourceOf(production));
  await p.promoteIfGreen('development', suites);
  await p.prune();
  return p.finish();
}

/**
 * Release qualification of a branch: its images, every suite on them (prebuilt and base), the
 * upgrades production → branch and branch → development; promote the branch's channel if all passed.
 */
export async function qualifyBranch(branch: string, o: PipelineOptions): Promise<PipelineReport> {
  const channel = pinned(`branch-${branch}`);
  const development = pinned('development');
  const production = pinned('production');
  const p = new Pipeline('branch', branch, o);
  const built = await p.build(channel);
  const suites = built ? await p.suites(channel) : (p.skip('suites', 'the build failed'), undefined);
  if (built) await p.upgrade(production, channel, await p.sourceOf(production));
  if (built) await p.upgrade(channel, development, { images: { kind: 'commit', commit: channel.commit, ref: channel.ref }, version: channel.version });
  await p.promoteIfGreen(channel.name, suites);
  await p.prune();
  return p.finish();
}
