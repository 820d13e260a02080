import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { writePipelineReport, type PipelineReport, type StageReport } from '../../../harness/pipeline/report.js';
import type { RunReport, UnitReport } from '../../../harness/run/results.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'shakedown-pipeline-unit-'));

const unit = (name: string, outcome: UnitReport['outcome'], ms: number, topology = 'shop'): UnitReport => ({
  unit: name, suite: name.split('/')[0]!, topology, outcome, attempts: [{ attempt: 1, worker: 1, startedAt: '', durationMs: ms, outcome: outcome === 'flaky' ? 'passed' : 'passed', phases: [] }],
});

function night(day: number, outcome: 'passed' | 'failed', units: UnitReport[]): PipelineReport {
  const run = { units } as RunReport;
  const stages: StageReport[] = [
    { name: 'build development', ms: 1000, outcome: 'passed', exitCode: 0, detail: '0 built' },
    { name: 'suites on development (prebuilt and base)', ms: 60_000, outcome, exitCode: outcome === 'passed' ? 0 : 1, results: path.join(root, `n${day}`, '02-suites'), run },
  ];
  return {
    pipeline: 'nightly', name: 'development', project: 'shop', startedAt: `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`, ms: 61_000 + day,
    outcome, exitCode: outcome === 'passed' ? 0 : 1, stages, images: [], dir: path.join(root, `n${day}`),
  };
}

describe('pipeline report', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes pipeline.json without the runs in it, and pipeline.html with the trend of earlier nights side by side', () => {
    writePipelineReport(night(27, 'passed', [unit('build/servers', 'passed', 4000), unit('reboot', 'passed', 20_000)]), root);
    writePipelineReport(night(28, 'passed', [unit('build/servers', 'passed', 4100), unit('reboot', 'flaky', 41_000)]), root);
    // Another project's pipeline in the same folder is not part of the trend.
    writePipelineReport({ ...night(29, 'passed', [unit('other', 'passed', 1)]), project: 'other', dir: path.join(root, 'other') }, root);
    writePipelineReport(night(30, 'failed', [unit('build/servers', 'failed', 3900), unit('reboot', 'passed', 19_000, 'shop@base')]), root);
    const json = JSON.parse(readFileSync(path.join(root, 'n30', 'pipeline.json'), 'utf8')) as PipelineReport & { stages: { run?: unknown; flaky: string[] }[] };
    assert.ok(json.stages.every((s) => s.run === undefined), 'the whole run report was copied into pipeline.json');
    assert.deepEqual(json.units, { 'suites › build/servers @ shop': { outcome: 'failed', ms: 3900 }, 'suites › reboot @ shop@base': { outcome: 'passed', ms: 19_000 } });
    const html = readFileSync(path.join(root, 'n30', 'pipeline.html'), 'utf8');
    const trendHead = /<h2>Trend: the last (\d+) runs<\/h2>\n<table><tr><th><\/th>(.*?)<\/tr>/.exec(html);
    assert.ok(trendHead, html);
    assert.equal(trendHead[1], '3');
    assert.deepEqual([...trendHead[2]!.matchAll(/<th>([^<]+)<\/th>/g)].map((m) => m[1]), ['2026-11-27 02:00', '2026-11-28 02:00', '2026-11-30 02:00']);
    // The unit that started failing and the one that slowed down, night by night.
    assert.match(html, /<tr><td>suites › build\/servers @ shop<\/td><td class="passed">passed 4\.0 s<\/td><td class="passed">passed 4\.1 s<\/td><td class="failed">failed 3\.9 s<\/td><\/tr>/);
    assert.match(html, /<tr><td>suites › reboot @ shop<\/td><td class="passed">passed 20\.0 s<\/td><td class="flaky">flaky 41\.0 s<\/td><td>—<\/td><\/tr>/);
    assert.match(html, /<tr><td>flaky units<\/td><td>0<\/td><td>reboot<\/td><td>0<\/td><\/tr>/);
    assert.match(html, /<a href="02-suites\/report.html">report<\/a>/);
  });
});
