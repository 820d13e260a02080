/**
 * Test output is whatever a server printed: colour codes, bells, NULs, half a UTF-8 sequence.
 * XML 1.0 cannot hold most control characters at all (a JUnit file with one is rejected whole),
 * and in HTML they are parse errors, so both reports clean text the same way before escaping it.
 */

/** CSI sequences (colours, cursor moves), OSC sequences (titles, links) and two-byte escapes. */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
/** C0 except tab, LF, CR; DEL and C1; lone surrogates; the two non-characters XML forbids. */
const INVALID = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: { [c: string]: string } = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** Text without terminal escapes or characters XML and HTML cannot carry; newlines and tabs stay. */
export function cleanText(s: string): string {
  return s.replace(ANSI, '').replace(INVALID, '');
}

/** Cleaned and escaped for XML or HTML, in text and in double- or single-quoted attributes alike. */
export function esc(s: string): string {
  return cleanText(s).replace(/[<>&"']/g, (c) => ENTITIES[c]!);
}

/** The first line of a message, for attributes: a failure's headline. */
export function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? '';
}
