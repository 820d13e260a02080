import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { evaluateHttp, parseCurl } from '../../../../harness/suite/checks/http.js';

/** `curl -si` output: CRLF in the head, anything in the body. */
const curl = [
  'HTTP/1.1 200 OK',
  'Server: nginx/1.22.1',
  'Date: Mon, 01 Jan 2024 12:00:00 GMT',
  'Content-Type: text/html; charset=utf-8',
  'X-Served-By:web-2',
  '',
  '<html>\r\n\r\n<p>platform ok</p></html>\n',
].join('\r\n');

describe('suite/checks/http', () => {
  describe('parseCurl', () => {
    it('splits status, lower-cased headers and body at the first blank line', () => {
      const r = parseCurl(curl)!;
      assert.equal(r.status, 200);
      assert.equal(r.headers['date'], 'Mon, 01 Jan 2024 12:00:00 GMT');
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers['x-served-by'], 'web-2');
      assert.equal(r.body, '<html>\r\n\r\n<p>platform ok</p></html>\n');
    });

    it('reads the status of an HTTP/2 response', () => assert.equal(parseCurl('HTTP/2 404 \r\nserver: nginx\r\n\r\n')!.status, 404));

    it('is undefined without a blank line after the head', () => assert.equal(parseCurl('HTTP/1.1 200 OK\nServer: nginx\n\nbody'), undefined));
  });

  describe('evaluateHttp', () => {
    const res = parseCurl(curl)!;

    it('passes a response as declared, matching header names in any case', () =>
      assert.deepEqual(evaluateHttp(res, { status: 200, body: /platform ok/, header: { 'Content-Type': /^text\/html/, 'x-served-by': 'web' } }), []));

    it('fails when there was no response', () => assert.deepEqual(evaluateHttp(undefined, { status: 200 }), ['no HTTP response']));

    it('reports a status mismatch with the start of the body', () => {
      const p = evaluateHttp({ ...res, status: 502, body: '<h1>502 Bad Gateway</h1>' }, { status: 200 });
      assert.equal(p.length, 1);
      assert.match(p[0]!, /status 502, expected 200 .*502 Bad Gateway/);
    });

    it('reports a body and a header mismatch, and a missing header', () => {
      const p = evaluateHttp(res, { body: 'maintenance', header: { 'X-Served-By': /^web-1$/, 'Cache-Control': 'no-store' } });
      assert.equal(p.length, 3);
      assert.match(p[0]!, /body lacks maintenance/);
      assert.match(p[1]!, /header X-Served-By is web-2/);
      assert.match(p[2]!, /header Cache-Control is missing/);
    });
  });
});
