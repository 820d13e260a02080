import type { ImageUse, Attempt, EnvironmentReport, Evidence, RunReport, UnitReport } from '../run/results.js';
import { ratioText } from '../run/repeats.js';
import { formatDuration } from './duration.js';
import { esc } from './escape.js';
import { phaseName } from './phase-name.js';
import { FAILED_COLOUR, KIND_COLOURS, timelineSvg } from './timeline.js';

/**
 * The run as one page a person can open from the results directory, offline and years later:
 * inline CSS and SVG, no script, no external assets. The policy in <head> forbids scripts, so
 * even test output that slipped past escaping could not run. Evidence links are relative,
 * because the page sits in the results directory next to the evidence.
 */
export function htmlReport(report: RunReport): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>shakedown ${esc(report.run)}: ${esc(report.outcome)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(report),
    timeline(report),
    unitsTable(report.units),
    failures(report.units),
    kept(report),
    environments(report.environments),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { margin-bottom: .3rem; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
pre { background: #f6f6f6; border: 1px solid #e3e3e3; padding: .5rem; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .5rem 1rem; }
dl.facts dt { color: #666; font-size: .85em; } dl.facts dd { margin: 0; font-weight: 600; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff; font-size: .85em; font-weight: 600; }
.passed { background: #2e7d32; } .failed, .error { background: #c62828; } .flaky { background: #ef6c00; } .infra { background: #6a1b9a; } .interrupted { background: #546e7a; }
.legend span { display: inline-block; margin-right: 1rem; } .legend i { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -1px; border-radius: 2px; }
.test-title { font-weight: 600; margin: .6rem 0 .2rem; } .phase { color: #666; font-weight: normal; }
.unreachable { color: #c62828; } .muted { color: #777; }
`;

const badge = (outcome: string) => `<span class="badge ${esc(outcome)}">${esc(outcome)}</span>`;
/** A relative link that survives odd characters in a path. */
const href = (rel: string) => esc(rel.split('/').map(encodeURIComponent).join('/'));
const link = (rel: string, text = rel.split('/').at(-1) ?? rel) => `<a href="${href(rel)}">${esc(text)}</a>`;
const anchor = (unit: string) => `unit-${unit.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
const fact = (term: string, value: string) => `<div><dt>${esc(term)}</dt><dd>${value}</dd></div>`;

function header(r: RunReport): string {
  const ratio = (bound: number) => (bound > 0 ? `${(r.makespanMs / bound).toFixed(2)}×` : '—');
  return [
    `<header>`,
    `<h1>shakedown run <code>${esc(r.run)}</code> ${badge(r.outcome)}</h1>`,
    ...(r.error ? [`<pre class="run-error">${esc(r.error)}</pre>`] : []),
    '<dl class="facts">',
    fact('Tests', `${r.passed} passed · ${r.failed} failed · ${r.skipped} skipped`),
    fact('Units', `${r.units.length} units · ${r.flaky} flaky · ${r.infra} infra`),
    fact('Workers', String(r.workers)),
    fact('Makespan', esc(formatDuration(r.makespanMs))),
    fact('Lower bound', esc(formatDuration(r.lowerBoundMs))),
    fact('Makespan / lower bound', esc(ratio(r.lowerBoundMs))),
    fact('Lower bound with one launch per worker', esc(formatDuration(r.launchBoundMs ?? 0))),
    fact('Makespan / bound with one launch', esc(ratio(r.launchBoundMs ?? 0))),
    fact('Total time', esc(formatDuration(r.totalMs))),
    fact('Topology', esc(r.topology)),
    ...(r.origin ? [fact('Configuration code', `${esc(r.origin.ref)} <code>${esc(r.origin.commit.slice(0, 12))}</code>${r.origin.dirty ? ' with uncommitted changes' : ''}`)] : []),
    ...(r.from ? [fact('Launched from', esc(r.from === 'both' ? 'prebuilt and base images (each suite both ways)' : `${r.from} images`))] : []),
    fact('Images', r.lineage?.length ? lineageTable(r.lineage) : r.images.map((i) => `<code>${esc(i)}</code>`).join('<br>') || '—'),
    '</dl>',
    '</header>',
  ].join('\n');
}

/** For each image: the role, its tag, the commit it was built from and its base. */
function lineageTable(images: ImageUse[]): string {
  const rows = images.map((l) => {
    const commit = l.role === 'base' ? '—' : `<code>${esc(l.commit.slice(0, 12))}</code>${l.dirty ? ' (dirty)' : ''} ${esc(l.ref)}`;
    const base = `${esc(l.base)} <code>${esc(l.baseId.replace('sha256:', '').slice(0, 12))}</code> built ${esc(l.baseBuilt || '?')}`;
    return `<tr><td>${esc(l.role)}${l.version ? ` ${esc(l.version)}` : ''}</td><td><code>${esc(l.tag)}</code></td><td>${commit}</td><td>${base}</td><td>${esc(l.from)}</td></tr>`;
  });
  return `<table class="lineage"><tr><th>Role</th><th>Image</th><th>Commit</th><th>Base</th><th>Launched as</th></tr>${rows.join('')}</table>`;
}

function timeline(r: RunReport): string {
  const legend = Object.entries(KIND_COLOURS)
    .map(([kind, colour]) => `<span><i style="background:${colour}"></i>${esc(kind)}</span>`)
    .concat(`<span><i style="background:${FAILED_COLOUR}"></i>failed</span>`, '<span>┆ lower bound</span>');
  return [
    '<section id="timeline">',
    '<h2>Workers</h2>',
    `<p class="legend">${legend.join('')}</p>`,
    timelineSvg(r.timeline, { workers: r.workers, makespanMs: r.makespanMs, lowerBoundMs: r.lowerBoundMs }),
    '</section>',
  ].join('\n');
}

/** A unit's name, with "(from base)" for a unit whose servers were launched from the base image. */
const unitName = (u: UnitReport) => phaseName(u, u.unit);

const listed = (u: UnitReport) => u.outcome === 'failed' || u.outcome === 'flaky' || u.outcome === 'infra';

function unitsTable(units: UnitReport[]): string {
  const rows = units.map((u) => {
    const name = listed(u) ? `<a href="#${anchor(unitName(u))}">${esc(unitName(u))}</a>` : esc(unitName(u));
    const workers = [...new Set(u.attempts.map((a) => `w${a.worker}`))].join(' → ') || '—';
    const ms = u.attempts.reduce((n, a) => n + a.durationMs, 0);
    return `<tr class="unit"><td>${name}</td><td>${badge(u.outcome)}${u.repeats ? ` <span class="ratio">${esc(ratioText(u))}</span>` : ''}</td><td class="num">${u.attempts.length}</td><td>${esc(workers)}</td><td class="num">${esc(formatDuration(ms))}</td><td class="num">${u.expectedMs === undefined ? '—' : esc(formatDuration(u.expectedMs))}</td></tr>`;
  });
  return [
    '<section id="units">',
    '<h2>Units</h2>',
    '<table><thead><tr><th>Unit</th><th>Outcome</th><th class="num">Attempts</th><th>Worker</th><th class="num">Duration</th><th class="num">Expected</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
    '</section>',
  ].join('\n');
}

function failures(units: UnitReport[]): string {
  const failed = units.filter(listed);
  if (!failed.length) return '<section id="failures"><h2>Failures</h2><p class="muted">None.</p></section>';
  return ['<section id="failures">', '<h2>Failures</h2>', ...failed.map(unitFailures), '</section>'].join('\n');
}

function unitFailures(u: UnitReport): string {
  const attempts = u.attempts.filter((a) => a.outcome !== 'passed');
  return [`<article id="${anchor(unitName(u))}">`, `<h3>${esc(unitName(u))} ${badge(u.outcome)}${u.repeats ? ` ${esc(ratioText(u))}` : ''}</h3>`, ...attempts.map((a) => attemptFailures(u, a)), '</article>'].join('\n');
}

function attemptFailures(u: UnitReport, a: Attempt): string {
  const where = [a.repeat && `repeat ${a.repeat}`, `attempt ${a.attempt}`, `worker ${a.worker}`, a.env && `env ${a.env}`, a.outcome, formatDuration(a.durationMs)].filter(Boolean).join(' · ');
  const tests = a.phases.flatMap((p) =>
    p.tests
      .filter((t) => t.state === 'failed')
      .map((t) => `<p class="test-title"><span class="phase">${esc(phaseName(u, p.phase))} ›</span> ${esc(t.fullTitle)}</p>\n<pre>${esc(t.error ?? '(no error message)')}</pre>`),
  );
  return [
    `<h4>${esc(where)}</h4>`,
    ...(a.broke ? [`<p>Environment destroyed afterwards: ${esc(a.broke)}</p>`] : []),
    ...(a.error ? [`<pre class="attempt-error">${esc(a.error)}</pre>`] : []),
    ...tests,
    ...(a.evidence ? [evidenceLinks(a.evidence)] : []),
  ].join('\n');
}

function evidenceLinks(e: Evidence): string {
  const servers = e.servers.map((s) => {
    const files = s.files.map((f) => link(f)).join(' · ');
    const error = s.error ? ` <span class="unreachable">not gathered: ${esc(s.error)}</span>` : '';
    return `<li><code>${esc(s.server)}</code>: ${files || '—'}${error}</li>`;
  });
  return [`<p class="evidence">Evidence: ${link(`${e.dir}/failure.txt`)}</p>`, `<ul class="evidence">`, ...servers, '</ul>'].join('\n');
}

function kept(r: RunReport): string {
  if (!r.kept.length) return '';
  const items = r.kept.map((k) => `<li><code>${esc(k.env)}</code> kept for ${esc(k.unit)} until ${esc(k.expires)}\n<pre>${esc(k.commands.join('\n'))}</pre></li>`);
  return ['<section id="kept">', '<h2>Kept environments</h2>', '<ul>', ...items, '</ul>', '</section>'].join('\n');
}

function environments(envs: EnvironmentReport[]): string {
  const rows = envs.map((e) => {
    const t = e.timings;
    const timings = [['launch', t.launchMs], ['ssh', t.sshMs], ['settle', t.settleMs], ['converge', t.convergeMs], ['ready', t.readyMs], ['destroy', t.destroyMs]]
      .filter((x): x is [string, number] => typeof x[1] === 'number')
      .map(([k, ms]) => `${k} ${formatDuration(ms)}`)
      .join(' · ');
    const servers = e.servers.map((s) => `${s.name} (${s.role}, ${s.image})`).join(', ');
    return `<tr class="environment"><td><code>${esc(e.id)}</code></td><td>w${e.worker}</td><td>${esc(e.topology)}</td><td>${esc(servers)}</td><td>${esc(e.defects.join(', ') || '—')}</td><td>${esc(timings)}</td><td>${esc(e.fate ?? '—')}</td></tr>`;
  });
  return [
    '<section id="environments">',
    '<h2>Environments</h2>',
    '<table><thead><tr><th>Id</th><th>Worker</th><th>Topology</th><th>Servers</th><th>Defects</th><th>Timings</th><th>Fate</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
    '</section>',
  ].join('\n');
}
