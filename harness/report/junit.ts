import path from 'node:path';
import { launchedFromBase, type Attempt, type Evidence, type ImageUse, type RunReport, type UnitReport } from '../run/results.js';
import { ratioText } from '../run/repeats.js';
import type { TestResult } from '../suite/runner.js';
import { seconds } from './duration.js';
import { esc, firstLine } from './escape.js';
import { phaseName } from './phase-name.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** One <testcase> as text, and what it adds to the counts. */
interface Case {
  xml: string;
  state: 'passed' | 'failed' | 'error' | 'skipped';
}

const count = (cases: Case[]): Counts => ({
  tests: cases.length,
  failures: cases.filter((c) => c.state === 'failed').length,
  errors: cases.filter((c) => c.state === 'error').length,
  skipped: cases.filter((c) => c.state === 'skipped').length,
});

const countsAttrs = (c: Counts) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;

/**
 * JUnit XML for a whole run, in the dialect Jenkins and GitLab read. Each unit's phases come from
 * the last attempt that ran tests, one <testsuite> each ("functional/backup-restore",
 * "reboot › build after reboot"), with the unit's outcome as a property. A test that failed on an
 * earlier attempt carries that failure as Maven Surefire's <flakyFailure> (or <rerunFailure> when
 * it failed again), so CI shows it as flaky rather than hiding the retry. A failed test's
 * <system-out> lists its evidence as `[[ATTACHMENT|path]]` lines, the Jenkins attachments
 * convention, with absolute paths under the results directory.
 */
export function junitReport(report: RunReport): string {
  const root = path.resolve(report.resultsDir ?? '.');
  const suites = report.units.flatMap((u) => unitSuites(report, u, root));
  const total = suites.reduce<Counts>(
    (t, s) => ({ tests: t.tests + s.counts.tests, failures: t.failures + s.counts.failures, errors: t.errors + s.counts.errors, skipped: t.skipped + s.counts.skipped }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shakedown ${esc(report.run)}" ${countsAttrs(total)} time="${seconds(report.totalMs)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Suite {
  name: string;
  cases: Case[];
  durationMs: number;
  startedAt?: string;
  out: string[];
}

function unitSuites(report: RunReport, u: UnitReport, root: string): { xml: string; counts: Counts }[] {
  const last = u.attempts.at(-1);
  // A unit lost to infrastructure is reported as that alone, whatever an earlier attempt ran.
  const ran = u.outcome === 'infra' ? undefined : reported(u);
  const suites = ran ? phaseSuites(u, ran, root) : [];
  if (u.repeats && u.outcome === 'flaky') {
    if (!suites.length) suites.push({ name: u.unit, durationMs: 0, out: [], cases: [] });
    suites[0]!.cases.push(flakyCase(u, suites[0]!.name));
  }
  if (!ran || stoppedShort(u)) {
    if (!suites.length) suites.push({ name: u.unit, durationMs: last?.durationMs ?? 0, startedAt: last?.startedAt, out: [], cases: [] });
    const into = suites.at(-1)!;
    into.cases.push(stopCase(u, into.name, root));
  }
  const props = properties(report, u, ran ?? last);
  return suites.map((s) => ({ xml: suiteXml(s, props), counts: count(s.cases) }));
}

/**
 * The attempt whose tests a unit's test cases show: the last that ran tests, or for a repeated
 * unit that did not pass the last failed one, so a repeat that passed cannot hide one that failed.
 */
function reported(u: UnitReport): Attempt | undefined {
  const ran = [...u.attempts].reverse().filter((a) => a.phases.length > 0);
  return (u.repeats && u.outcome !== 'passed' ? ran.find((a) => a.outcome === 'failed') : undefined) ?? ran[0];
}

/** A repeated unit that passed only some runs: a failure of its own, with the ratio, whatever its last run did. */
function flakyCase(u: UnitReport, classname: string): Case {
  const message = `flaky: ${ratioText(u)} runs`;
  const runs = u.attempts.map((a) => `${attemptLabel(a)}: ${a.outcome}`);
  return {
    state: 'failed',
    xml: [
      `    <testcase classname="${esc(classname)}" name="${esc(`${u.unit}: repeats`)}" time="0">`,
      `      <failure message="${esc(message)}" type="flaky">${esc([message, '', ...runs].join('\n'))}</failure>`,
      '    </testcase>',
    ].join('\n'),
  };
}

/** Whether the unit, or its last attempt, ended without its tests having their say. */
const stoppedShort = (u: UnitReport) =>
  [u.outcome, u.attempts.at(-1)?.outcome].some((o) => o === 'infra' || o === 'interrupted');

function phaseSuites(u: UnitReport, ran: Attempt, root: string): Suite[] {
  const earlier = u.attempts.slice(0, u.attempts.indexOf(ran));
  const suites = ran.phases.map((p) => {
    const name = phaseName(u, p.phase);
    return { name, durationMs: p.durationMs, startedAt: ran.startedAt, out: [] as string[], cases: p.tests.map((t) => testCase(name, t, ran, earlier, root)) };
  });
  suites[0]?.out.push(...unmatchedFailures(earlier, ran, root));
  return suites;
}

function suiteXml(s: Suite, props: string): string {
  const started = new Date(s.startedAt ?? NaN);
  // JUnit's schema wants a timestamp without a zone; ours are UTC.
  const stamp = Number.isNaN(started.getTime()) ? '' : ` timestamp="${started.toISOString().slice(0, 19)}"`;
  return [
    `  <testsuite name="${esc(s.name)}" ${countsAttrs(count(s.cases))} time="${seconds(s.durationMs)}"${stamp}>`,
    props,
    ...s.cases.map((c) => c.xml),
    ...(s.out.length ? [`    <system-out>${esc(s.out.join('\n'))}</system-out>`] : []),
    '  </testsuite>',
  ].join('\n');
}

/** The images a unit's servers came from: the base image for a unit launched from it, else the role images. */
export function unitImages(r: RunReport, u: UnitReport): ImageUse[] {
  const from = launchedFromBase(u.topology) ? 'base' : 'prebuilt';
  return (r.lineage ?? []).filter((l) => l.from === from);
}

const imageLine = (l: ImageUse) => `${l.tag} commit ${l.commit || 'none'}${l.dirty ? ' (dirty)' : ''} base ${l.base} ${l.baseId}`;

function properties(r: RunReport, u: UnitReport, a: Attempt | undefined): string {
  const props: [string, string | number | undefined][] = [
    ['shakedown.topology', u.topology],
    ['shakedown.from', launchedFromBase(u.topology) ? 'base' : 'prebuilt'],
    ['shakedown.origin', r.origin ? `${r.origin.ref} ${r.origin.commit}${r.origin.dirty ? ' (dirty)' : ''}` : undefined],
    ...unitImages(r, u).map((l): [string, string] => [`shakedown.image.${l.role}${l.version ? `.${l.version}` : ''}`, imageLine(l)]),
    ['shakedown.unit', u.unit],
    ['shakedown.outcome', u.outcome],
    ['shakedown.attempts', u.attempts.length],
    ['shakedown.repeats', u.repeats ? ratioText(u) : undefined],
    ['shakedown.worker', a?.worker],
    ['shakedown.env', a?.env],
    ['shakedown.broke', a?.broke],
  ];
  const lines = props.filter(([, v]) => v !== undefined).map(([k, v]) => `      <property name="${k}" value="${esc(String(v))}"/>`);
  return ['    <properties>', ...lines, '    </properties>'].join('\n');
}

/** The same test in another attempt: same phase, and same full title or (for an action step, whose title carries a timing) same title. */
const sameTest = (a: TestResult, b: TestResult) => a.phase === b.phase && (a.fullTitle === b.fullTitle || a.title === b.title);

function earlierFailures(earlier: Attempt[], t: TestResult): { attempt: Attempt; test: TestResult }[] {
  return earlier.flatMap((attempt) => {
    const test = attempt.phases.flatMap((p) => p.tests).find((e) => e.state === 'failed' && sameTest(e, t));
    return test ? [{ attempt, test }] : [];
  });
}

function testCase(classname: string, t: TestResult, ran: Attempt, earlier: Attempt[], root: string): Case {
  const open = `    <testcase classname="${esc(classname)}" name="${esc(t.fullTitle)}" time="${seconds(t.durationMs)}"`;
  const reruns = earlierFailures(earlier, t);
  if (t.state === 'skipped') return { state: 'skipped', xml: `${open}><skipped${t.error ? ` message="${esc(firstLine(t.error))}"` : ''}/></testcase>` };
  if (t.state === 'passed') {
    if (!reruns.length) return { state: 'passed', xml: `${open}/>` };
    return { state: 'passed', xml: [`${open}>`, ...reruns.map((r) => rerunXml('flakyFailure', r.attempt, r.test, root)), '    </testcase>'].join('\n') };
  }
  const error = t.error ?? '';
  return {
    state: 'failed',
    xml: [
      `${open}>`,
      `      <failure message="${esc(firstLine(error))}" type="test-failure">${esc(error)}</failure>`,
      ...reruns.map((r) => rerunXml('rerunFailure', r.attempt, r.test, root)),
      `      <system-out>${esc(evidenceLines(ran.evidence, root).concat(error).join('\n'))}</system-out>`,
      '    </testcase>',
    ].join('\n'),
  };
}

/** Surefire's record of one earlier run of a test: message and type, the error as its stack trace, that attempt's evidence. */
function rerunXml(tag: 'flakyFailure' | 'rerunFailure', a: Attempt, t: TestResult, root: string): string {
  const error = t.error ?? '';
  const out = evidenceLines(a.evidence, root);
  return [
    `      <${tag} message="${esc(firstLine(error))}" type="test-failure">`,
    `        <stackTrace>${esc(`${attemptLabel(a)}\n${error}`)}</stackTrace>`,
    ...(out.length ? [`        <system-out>${esc(out.join('\n'))}</system-out>`] : []),
    `      </${tag}>`,
  ].join('\n');
}

/** The one test case of a unit that could not finish: no environment, or a signal. */
function stopCase(u: UnitReport, classname: string, root: string): Case {
  const last = u.attempts.at(-1);
  const type = u.outcome === 'interrupted' || last?.outcome === 'interrupted' ? 'interrupted' : 'infrastructure';
  const message = last?.error ?? (type === 'interrupted' ? 'interrupted before it began' : 'no environment could be had');
  const history = u.attempts.map((a) => `${attemptLabel(a)}: ${a.outcome}${a.error ? `: ${a.error}` : ''}`);
  const out = evidenceLines(last?.evidence, root);
  return {
    state: 'error',
    xml: [
      `    <testcase classname="${esc(classname)}" name="${esc(`${u.unit}: ${type}`)}" time="${seconds(last?.durationMs ?? 0)}">`,
      `      <error message="${esc(firstLine(message))}" type="${type}">${esc([message, ...(history.length ? ['', ...history] : [])].join('\n'))}</error>`,
      ...(out.length ? [`      <system-out>${esc(out.join('\n'))}</system-out>`] : []),
      '    </testcase>',
    ].join('\n'),
  };
}

/** Earlier failures no final test case can carry (a test that no longer ran, an attempt lost to infrastructure), for the suite's <system-out>. */
function unmatchedFailures(earlier: Attempt[], ran: Attempt, root: string): string[] {
  const final = ran.phases.flatMap((p) => p.tests);
  return earlier.flatMap((a) => {
    const lost = a.phases.flatMap((p) => p.tests).filter((e) => e.state === 'failed' && !final.some((t) => sameTest(e, t)));
    const lines = lost.map((e) => `${attemptLabel(a)}: ${e.fullTitle}: ${e.error ?? ''}`);
    if (a.error) lines.push(`${attemptLabel(a)}: ${a.outcome}: ${a.error}`);
    return lines.length ? [...lines, ...evidenceLines(a.evidence, root)] : [];
  });
}

const attemptLabel = (a: Attempt) => `${a.repeat ? `repeat ${a.repeat} ` : ''}attempt ${a.attempt} (worker ${a.worker}${a.env ? `, env ${a.env}` : ''})`;

/** `[[ATTACHMENT|/abs/path]]` per evidence file, and a line per server that could not be reached. */
function evidenceLines(e: Evidence | undefined, root: string): string[] {
  if (!e) return [];
  const attach = (rel: string) => `[[ATTACHMENT|${path.resolve(root, rel)}]]`;
  return [
    attach(path.posix.join(e.dir, 'failure.txt')),
    ...e.servers.flatMap((s) => [...s.files.map(attach), ...(s.error ? [`${s.server}: evidence incomplete: ${s.error}`] : [])]),
  ];
}
