import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'mocha';
import { junitReport } from '../../../harness/report/junit.js';
import { RESULTS_DIR, runReport } from './fixture.js';

describe('report/junit: junitReport', () => {
  const report = runReport();
  const xml = junitReport(report);
  /** The text of the <testsuite> whose name is `name`. */
  const suite = (name: string) => {
    const at = xml.indexOf(`<testsuite name="${name}"`);
    assert.ok(at >= 0, `no testsuite ${name}`);
    return xml.slice(at, xml.indexOf('</testsuite>', at));
  };
  /** The text of the <testcase> whose name is `name`. */
  const testcase = (name: string) => {
    const at = xml.indexOf(`name="${name}"`);
    assert.ok(at >= 0, `no testcase ${name}`);
    const end = xml.indexOf('\n    <testcase', at);
    return xml.slice(at, Math.min(...[end, xml.indexOf('</testsuite>', at)].filter((i) => i >= 0)));
  };

  it('has one testsuite per phase of each unit, named after the unit and phase', () => {
    const names = [...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(names, ['functional/backup-restore', 'build', 'reboot › before', 'reboot › action', 'reboot › build after reboot', 'application/payments', 'functional/cron']);
    assert.match(suite('reboot › action'), /<testcase classname="reboot › action" name="reboot: action: web-1 rebooted/);
  });

  it('takes the test cases from the last attempt that ran', () => {
    const flaky = suite('functional/backup-restore');
    assert.match(flaky, /tests="2" failures="0" errors="0" skipped="0"/);
    assert.match(flaky, /timestamp="2026-11-22T10:02:00"/);
    assert.ok(!flaky.includes('<failure'));
  });

  it('marks a test that failed before and then passed with a Surefire flakyFailure, and its suite as flaky', () => {
    const c = testcase('functional backup restores the dump');
    assert.match(c, /<flakyFailure message="db-1: `pg_restore -d app \/backup\/app\.dump` exited 1: &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; ERROR &amp; bell" type="test-failure">/);
    assert.match(c, /<stackTrace>attempt 1 \(worker 1, env e1a2b3c4\)\n/);
    assert.ok(!testcase('functional backup keeps seven days').includes('flakyFailure'));
    assert.ok(suite('functional/backup-restore').includes('<property name="shakedown.outcome" value="flaky"/>'));
    assert.ok(suite('build').includes('<property name="shakedown.outcome" value="passed"/>'));
  });

  it('gives a test that failed on every attempt a failure and a rerunFailure per earlier attempt', () => {
    const c = testcase('reboot: action: web-1 rebooted by an admin (sudo systemctl reboot)');
    assert.equal(c.match(/<failure /g)?.length, 1);
    assert.equal(c.match(/<rerunFailure /g)?.length, 1);
    assert.ok(c.indexOf('<failure ') < c.indexOf('<rerunFailure '));
  });

  it('reports a unit lost to infrastructure as one test case with an infrastructure error listing every attempt', () => {
    const s = suite('application/payments');
    assert.match(s, /tests="1" failures="0" errors="1" skipped="0"/);
    assert.equal(s.match(/<testcase /g)?.length, 1);
    assert.match(s, /<error message="launch failed: docker: no space left on device \(try 2\)" type="infrastructure">/);
    assert.match(s, /attempt 1 \(worker 1\): infra: launch failed: docker: no space left on device \(try 1\)/);
  });

  it('reports an interrupted unit as an interrupted error', () => {
    assert.match(suite('functional/cron'), /<error message="interrupted before it began" type="interrupted">/);
  });

  it('adds an interrupted error to the last phase of a unit stopped part way', () => {
    const r = runReport();
    const unit = r.units.find((u) => u.unit === 'build')!;
    unit.outcome = 'interrupted';
    Object.assign(unit.attempts[0]!, { outcome: 'interrupted', error: 'SIGINT' });
    const one = junitReport({ ...r, units: [unit] });
    assert.match(one, /<testsuite name="build" tests="3" failures="0" errors="1" skipped="1"/);
    assert.match(one, /<testcase classname="build" name="build: interrupted" time="[\d.]+">\n\s*<error message="SIGINT" type="interrupted">/);
  });

  it('keeps an earlier failure no final test case can carry in the suite’s system-out', () => {
    const r = runReport();
    const build = r.units.find((u) => u.unit === 'build')!;
    build.attempts.unshift({ ...build.attempts[0]!, attempt: 1, worker: 2, env: 'e7', outcome: 'infra', phases: [], error: 'web-1: connection lost' });
    build.attempts[1]!.attempt = 2;
    const one = junitReport({ ...r, units: [build] });
    assert.match(one, /<system-out>attempt 1 \(worker 2, env e7\): infra: web-1: connection lost<\/system-out>\n  <\/testsuite>/);
    assert.ok(!one.includes('<error'));
  });

  it('attaches the failed attempt’s evidence by absolute path, the Jenkins way, with the failure text', () => {
    const c = testcase('reboot: action: web-1 rebooted by an admin (sudo systemctl reboot)');
    const out = c.slice(c.lastIndexOf('<system-out>'));
    const attachments = [...out.matchAll(/\[\[ATTACHMENT\|([^\]]+)\]\]/g)].map((m) => m[1]!);
    assert.deepEqual(attachments, [
      `${RESULTS_DIR}/evidence/reboot/attempt-2/failure.txt`,
      ...['web-1', 'bastion'].flatMap((s) => ['journal', 'syslog', 'failed-units'].map((f) => `${RESULTS_DIR}/evidence/reboot/attempt-2/${s}/${f}.txt`)),
    ]);
    assert.match(out, /db-1: evidence incomplete: db-1: connection lost/);
    assert.match(out, /web-1: did not come back within 120000 ms\nconsole: \[FAILED\] Failed to start nginx\.service<\/system-out>/);
    assert.ok(testcase('functional backup restores the dump').includes(`[[ATTACHMENT|${RESULTS_DIR}/evidence/functional-backup-restore/attempt-1/db-1/syslog.txt]]`));
  });

  it('resolves attachments against the working directory when the report has no results directory', () => {
    const r = runReport();
    delete r.resultsDir;
    assert.ok(junitReport(r).includes(`[[ATTACHMENT|${path.resolve('evidence/reboot/attempt-2/failure.txt')}]]`));
  });

  it('escapes markup and drops control characters and terminal escapes', () => {
    assert.ok(!xml.includes('<script'));
    assert.ok(xml.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(xml));
    assert.ok(!xml.includes('[31m'));
    const text = xml.replace(/<\/?[a-zA-Z-]+(\s+[a-z.]+="[^"<>]*")*\s*\/?>/g, '').replace(/<\?xml[^>]*\?>/, '');
    assert.ok(!/[<>"]|&(?!(lt|gt|amp|quot|apos);)/.test(text), text);
  });

  it('totals tests, failures, errors and skipped over every suite, and the run time', () => {
    assert.match(xml, /<testsuites name="shakedown r2611221000ab12" tests="9" failures="1" errors="2" skipped="2" time="262\.500">/);
    const sum = (attr: string) => [...xml.matchAll(new RegExp(`<testsuite [^>]*${attr}="(\\d+)"`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(sum('tests'), (xml.match(/<testcase /g) ?? []).length);
    assert.equal(sum('failures'), (xml.match(/<failure /g) ?? []).length);
    assert.equal(sum('errors'), (xml.match(/<error /g) ?? []).length);
    assert.equal(sum('skipped'), (xml.match(/<skipped[ /]/g) ?? []).length);
  });
});
