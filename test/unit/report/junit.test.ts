import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { junitXml } from '../../../harness/report/junit.js';
import type { SuiteResult, TestResult } from '../../../harness/suite/runner.js';

const test = (title: string, state: TestResult['state'], error?: string): TestResult => ({ suite: 'build', phase: 'build', title, fullTitle: `web ${title}`, state, durationMs: 1234, error });

const build: SuiteResult = {
  suite: 'build',
  phase: 'build',
  durationMs: 5000,
  tests: [
    test('serves <html> & "quotes" \'here\'', 'passed'),
    test('config mode', 'failed', 'web-1: file /etc/app.ini: mode is 644 & <bad>\x07\nat Context.<anonymous>'),
    test('cron', 'skipped'),
  ],
};
const reboot: SuiteResult = { suite: 'functional', phase: 'functional after reboot', durationMs: 10, tests: [test('comes back', 'failed', 'lost'), test('again', 'passed')] };

describe('report/junit', () => {
  const xml = junitXml([build, reboot]);

  it('counts tests, failures and skipped per phase and in total', () => {
    assert.match(xml, /<testsuite name="build" tests="3" failures="1" skipped="1" time="5\.000">/);
    assert.match(xml, /<testsuite name="functional after reboot" tests="2" failures="1" skipped="0" time="0\.010">/);
    assert.match(xml, /<testsuites name="shakedown" tests="5" failures="2">/);
    assert.equal(xml.match(/<testcase /g)?.length, 5);
    assert.equal(xml.match(/<skipped\/>/g)?.length, 1);
  });

  it('escapes <>&"\' in names and messages', () => {
    assert.ok(xml.includes('name="web serves &lt;html&gt; &amp; &quot;quotes&quot; &apos;here&apos;" time="1.234"'));
    assert.ok(xml.includes('<failure message="web-1: file /etc/app.ini: mode is 644 &amp; &lt;bad&gt;">'));
  });

  it('drops control characters XML cannot hold, keeping newlines', () => {
    assert.ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(xml));
    assert.ok(xml.includes('&lt;bad&gt;\nat Context.&lt;anonymous&gt;</failure>'));
  });

  it('leaves no raw markup characters in text or attributes', () => {
    const text = xml.replace(/<\/?[a-z]+(\s+[a-z]+="[^"<>]*")*\s*\/?>/g, '').replace(/<\?xml[^>]*\?>/, '');
    assert.ok(!/[<>"]|&(?!(lt|gt|amp|quot|apos);)/.test(text), text);
  });
});
