import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Lineage } from '../images/lineage.js';
import { formatDuration } from '../report/duration.js';
import { esc } from '../report/escape.js';
import type { RunReport } from '../run/results.js';

export interface StageReport {
  name: string;
  ms: number;
  outcome: 'passed' | 'failed' | 'error' | 'interrupted' | 'skipped';
  exitCode: number;
  detail?: string;
  /** The stage's run report folder. */
  results?: string;
  /** Kept in memory for the trend; written as a summary. */
  run?: RunReport;
}

export interface PipelineReport {
  pipeline: 'nightly' | 'branch';
  name: string;
  project: string;
  startedAt: string;
  ms: number;
  outcome: 'passed' | 'failed' | 'error';
  exitCode: number;
  stages: StageReport[];
  /** The images the pipeline built or reused, with lineage. */
  images: Lineage[];
  dir: string;
  /** Per unit (stage › unit @ topology): its outcome and duration, for the trend. */
  units?: Record<string, { outcome: string; ms: number }>;
}

const TREND = 7;

function unitsOf(r: PipelineReport): Record<string, { outcome: string; ms: number }> {
  const units: Record<string, { outcome: string; ms: number }> = {};
  for (const s of r.stages) {
    for (const u of s.run?.units ?? []) units[`${s.name.split(' ')[0]} › ${u.unit} @ ${u.topology}`] = { outcome: u.outcome, ms: u.attempts.at(-1)?.durationMs ?? 0 };
  }
  return units;
}

/** Earlier pipelines of the same kind and name in the results folder, oldest first. */
function earlier(root: string, r: PipelineReport): PipelineReport[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((d) => path.join(root, d, 'pipeline.json'))
    .filter((f) => existsSync(f) && path.dirname(f) !== r.dir)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as PipelineReport)
    .filter((p) => p.pipeline === r.pipeline && p.name === r.name && p.project === r.project)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .slice(-(TREND - 1));
}

/** pipeline.json and pipeline.html in the pipeline's folder; the HTML shows the last nights side by side. */
export function writePipelineReport(r: PipelineReport, root: string): void {
  r.units = unitsOf(r);
  const stages = r.stages.map(({ run, ...s }) => ({ ...s, flaky: run?.units.filter((u) => u.outcome === 'flaky').map((u) => u.unit) ?? [] }));
  const json = { ...r, stages };
  mkdirSync(r.dir, { recursive: true });
  writeFileSync(path.join(r.dir, 'pipeline.json'), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(path.join(r.dir, 'pipeline.html'), pipelineHtml(json, [...earlier(path.resolve(root), r), json]));
}

const badge = (o: string) => `<span class="badge ${esc(o)}">${esc(o)}</span>`;
const flakyOf = (p: PipelineReport) => p.stages.flatMap((s) => (s as { flaky?: string[] }).flaky ?? []);

function pipelineHtml(r: PipelineReport, trend: PipelineReport[]): string {
  const stageRows = r.stages.map((s) => {
    const link = s.results ? `<a href="${esc(path.relative(r.dir, s.results))}/report.html">report</a>` : '';
    return `<tr><td>${esc(s.name)}</td><td>${badge(s.outcome)}</td><td>${esc(formatDuration(s.ms))}</td><td>${esc(s.detail ?? '')}</td><td>${link}</td></tr>`;
  });
  const imageRows = r.images.map((l) => `<tr><td>${esc(l.role)} ${esc(l.version)}</td><td><code>${esc(l.tag)}</code></td><td><code>${esc(l.commit.slice(0, 12))}</code> ${esc(l.ref)}</td><td>${esc(l.base)} <code>${esc(l.baseId.replace('sha256:', '').slice(0, 12))}</code> built ${esc(l.baseBuilt)}</td><td>${esc(l.tool)}</td></tr>`);
  const heads = trend.map((p) => `<th>${esc(p.startedAt.slice(0, 16).replace('T', ' '))}</th>`).join('');
  const summary = [
    `<tr><td>outcome</td>${trend.map((p) => `<td>${badge(p.outcome)}</td>`).join('')}</tr>`,
    `<tr><td>duration</td>${trend.map((p) => `<td>${esc(formatDuration(p.ms))}</td>`).join('')}</tr>`,
    `<tr><td>flaky units</td>${trend.map((p) => `<td>${esc(flakyOf(p).join(', ') || '0')}</td>`).join('')}</tr>`,
  ];
  const names = [...new Set(trend.flatMap((p) => Object.keys(p.units ?? {})))].sort();
  const unitRows = names.map((n) => `<tr><td>${esc(n)}</td>${trend.map((p) => {
    const u = p.units?.[n];
    return u ? `<td class="${esc(u.outcome)}">${esc(u.outcome)} ${esc(formatDuration(u.ms))}</td>` : '<td>—</td>';
  }).join('')}</tr>`);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>shakedown ${esc(r.pipeline)} ${esc(r.name)}: ${esc(r.outcome)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}
.badge{padding:.1em .4em;border-radius:.3em;color:#fff}.badge.passed{background:#2a7}.badge.failed,.badge.error{background:#c33}.badge.skipped{background:#999}.badge.interrupted{background:#e90}
td.failed,td.infra{background:#fdd}td.flaky{background:#ffd}
</style></head><body>
<h1>shakedown ${esc(r.pipeline)} <code>${esc(r.name)}</code> ${badge(r.outcome)}</h1>
<p>Project <code>${esc(r.project)}</code>, started ${esc(r.startedAt)}, took ${esc(formatDuration(r.ms))}, exit ${r.exitCode}.</p>
<h2>Stages</h2>
<table><tr><th>Stage</th><th>Outcome</th><th>Duration</th><th>Detail</th><th>Run report</th></tr>${stageRows.join('')}</table>
<h2>Images</h2>
<table><tr><th>Role</th><th>Image</th><th>Commit</th><th>Base</th><th>Converge tool</th></tr>${imageRows.join('')}</table>
<h2>Trend: the last ${trend.length} runs</h2>
<table><tr><th></th>${heads}</tr>${summary.join('')}${unitRows.join('')}</table>
</body></html>
`;
}
