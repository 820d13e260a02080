import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { htmlReport } from '../../../harness/report/html.js';
import { RESULTS_DIR, runReport } from './fixture.js';

describe('report/html', () => {
  const report = runReport();
  const html = htmlReport(report);
  const section = (id: string) => {
    const at = html.indexOf(`<section id="${id}">`);
    assert.ok(at >= 0, `no section ${id}`);
    return html.slice(at, html.indexOf('</section>', at));
  };

  it('is one page with no script and nothing fetched from elsewhere', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.ok(!/<script/i.test(html));
    assert.ok(!/\s(src|href)="(https?:)?\/\//.test(html));
    assert.ok(!/<link /.test(html));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
  });

  it('heads the page with the run, its counts, and makespan against the lower bound', () => {
    const head = html.slice(0, html.indexOf('</header>'));
    assert.match(head, /<code>r2611221000ab12<\/code> <span class="badge failed">failed<\/span>/);
    assert.match(head, /4 passed · 1 failed · 2 skipped/);
    assert.match(head, /5 units · 1 flaky · 1 infra/);
    assert.match(head, /<dt>Makespan<\/dt><dd>4 m 10 s<\/dd>/);
    assert.match(head, /<dt>Lower bound<\/dt><dd>3 m 20 s<\/dd>/);
    assert.match(head, /<dt>Makespan \/ lower bound<\/dt><dd>1\.25×<\/dd>/);
    assert.match(head, /<dt>Lower bound with one launch per worker<\/dt><dd>3 m 40 s<\/dd>/);
    assert.match(head, /<dt>Makespan \/ bound with one launch<\/dt><dd>1\.14×<\/dd>/);
    assert.match(head, /shakedown\/debian12-db:1\.4/);
  });

  it('shows no ratio when there is no lower bound', () => {
    assert.match(htmlReport({ ...runReport(), lowerBoundMs: 0 }), /<dt>Makespan \/ lower bound<\/dt><dd>—<\/dd>/);
  });

  it('draws one timeline row per worker and one bar per event, failed bars marked, each with a tooltip', () => {
    const svg = section('timeline');
    assert.deepEqual([...svg.matchAll(/<text class="worker"[^>]*>(w\d+)<\/text>/g)].map((m) => m[1]), ['w1', 'w2', 'w3']);
    assert.equal(svg.match(/<g class="bar /g)?.length, report.timeline.length);
    assert.equal(svg.match(/<g class="bar [a-z]+ failed">/g)?.length, report.timeline.filter((e) => !e.ok).length);
    assert.match(svg, /<title>reboot: unit \(failed\), 1 m 40 s\nenv e9d8c7b6<\/title>/);
    assert.match(svg, /<title>backoff &lt;launch&gt;: backoff \(failed\), 7\.7 s\ndocker: no space left on device<\/title>/);
    assert.match(svg, />0s<\/text>/);
    assert.match(svg, />4m00s<\/text>/);
  });

  it("draws work off a worker's path (a spare's launch) as a thin strip under its row, without a label", () => {
    const spare = { worker: 1, kind: 'launch' as const, label: 'spare platform', startMs: 1000, endMs: 8000, ok: true, background: true };
    const svg = htmlReport({ ...runReport(), timeline: [spare] });
    assert.match(svg, /<g class="bar launch background"><title>spare platform: launch \(in the background\), 7\.0 s<\/title><rect [^>]*y="27" [^>]*height="5"[^>]*\/><\/g>/);
  });

  it('places bars on the time axis and rows by worker', () => {
    const rects = [...section('timeline').matchAll(/<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    const w3reboot = rects[rects.length - 1]!;
    const w1launch = rects[0]!;
    assert.equal(w1launch[0], 44);
    assert.ok(w3reboot[1]! > rects[5]![1]! && rects[5]![1]! > w1launch[1]!, 'rows go down by worker');
    assert.ok(Math.abs(w3reboot[0]! + w3reboot[2]! - (44 + (248 / 250) * 940)) < 0.2, 'a bar ends where its event ends');
  });

  it('lists every unit with outcome, attempts, workers, duration and expected duration', () => {
    const rows = section('units').match(/<tr class="unit">.*<\/tr>/g)!;
    assert.equal(rows.length, report.units.length);
    assert.match(rows[0]!, /functional\/backup-restore<\/a><\/td><td><span class="badge flaky">flaky<\/span><\/td><td class="num">2<\/td><td>w1 → w2<\/td><td class="num">6\.4 s<\/td><td class="num">3\.0 s<\/td>/);
    assert.match(rows[3]!, /<td class="num">—<\/td><\/tr>$/);
  });

  it('shows each failed test with its error and links to the evidence relative to the page', () => {
    const f = section('failures');
    assert.deepEqual([...f.matchAll(/<article id="([^"]+)">/g)].map((m) => m[1]), ['unit-functional-backup-restore', 'unit-reboot', 'unit-application-payments']);
    assert.match(f, /<span class="phase">reboot › action ›<\/span> reboot: action: web-1 rebooted by an admin \(sudo systemctl reboot\)<\/p>\n<pre>web-1: did not come back within 120000 ms\nconsole: \[FAILED\] Failed to start nginx\.service<\/pre>/);
    assert.ok(f.includes('<a href="evidence/reboot/attempt-2/web-1/journal.txt">journal.txt</a>'));
    assert.ok(f.includes('<a href="evidence/functional-backup-restore/attempt-1/failure.txt">failure.txt</a>'));
    assert.match(f, /<code>db-1<\/code>: — <span class="unreachable">not gathered: db-1: connection lost/);
    assert.match(f, /<pre class="attempt-error">launch failed: docker: no space left on device \(try 2\)<\/pre>/);
    const hrefs = [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]!);
    assert.ok(hrefs.length >= 20);
    assert.ok(hrefs.every((h) => h.startsWith('evidence/') && !h.includes('..') && !h.includes(RESULTS_DIR)), hrefs.join('\n'));
  });

  it('encodes odd characters in evidence links', () => {
    const r = runReport();
    r.units[2]!.attempts[1]!.evidence!.servers[0]!.files = ['evidence/reboot/attempt-2/web 1/a"b.txt'];
    assert.ok(htmlReport(r).includes('<a href="evidence/reboot/attempt-2/web%201/a%22b.txt">a&quot;b.txt</a>'));
  });

  it('escapes test output, so markup in it stays text', () => {
    assert.ok(html.includes('exited 1: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ERROR &amp; bell</pre>'));
    assert.ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(html));
  });

  it('gives the exact ssh commands of kept environments', () => {
    assert.match(section('kept'), /<pre>shakedown env ssh e0d1e2f3 bastion\nshakedown env ssh e0d1e2f3 web-1\nshakedown env ssh e0d1e2f3 db-1<\/pre>/);
    assert.ok(!htmlReport({ ...runReport(), kept: [] }).includes('id="kept"'));
  });

  it('lists environments with their timings and fate', () => {
    const rows = section('environments').match(/<tr class="environment">.*<\/tr>/g)!;
    assert.equal(rows.length, report.environments.length);
    assert.match(rows[2]!, /<code>e9d8c7b6<\/code><\/td><td>w2<\/td>.*<td>nginx-slow-start<\/td><td>launch 3\.1 s · ssh 900 ms · settle 2\.4 s · converge 600 ms · ready 7\.1 s · destroy 1\.3 s<\/td><td>broken: reboot: action failed<\/td>/);
  });
});
