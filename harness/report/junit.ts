import type { SuiteResult } from '../suite/runner.js';

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

/** JUnit XML, one <testsuite> per phase ("build", "functional after reboot") and one <testcase> per test. */
export function junitXml(results: SuiteResult[], name = 'shakedown'): string {
  const count = (r: SuiteResult, s: string) => r.tests.filter((t) => t.state === s).length;
  const suites = results.map((r) => {
    const cases = r.tests.map((t) => {
      const body =
        t.state === 'failed' ? `<failure message="${esc((t.error ?? '').split('\n')[0]!)}">${esc(t.error ?? '')}</failure>` : t.state === 'skipped' ? '<skipped/>' : '';
      return `    <testcase classname="${esc(r.phase)}" name="${esc(t.fullTitle)}" time="${(t.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
    });
    return [
      `  <testsuite name="${esc(r.phase)}" tests="${r.tests.length}" failures="${count(r, 'failed')}" skipped="${count(r, 'skipped')}" time="${(r.durationMs / 1000).toFixed(3)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const total = results.reduce((n, r) => n + r.tests.length, 0);
  const failures = results.reduce((n, r) => n + count(r, 'failed'), 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(name)}" tests="${total}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
