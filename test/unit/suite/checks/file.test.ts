import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { FileInfo } from '../../../../harness/environment/server.js';
import { evaluateFile } from '../../../../harness/suite/checks/file.js';

/** What `stat -c '%U|%G|%a|%F|%s'` reports for a correctly deployed config file. */
const info: FileInfo = { path: '/etc/platform/app.ini', owner: 'root', group: 'www-data', mode: '640', type: 'regular file', size: 97 };
const content = '[database]\nhost = db-1\npassword = s3cret\n';

describe('suite/checks/file', () => {
  it('passes a file as declared, with the mode written as 0640 or 640', () => {
    const want = { owner: 'root', group: 'www-data', type: 'regular file' as const, contains: ['host = db-1', /^password = \S+$/m], lacks: [/debug\s*=\s*true/] };
    assert.deepEqual(evaluateFile(info, content, { ...want, mode: '0640' }), []);
    assert.deepEqual(evaluateFile(info, content, { ...want, mode: '640' }), []);
  });

  it('fails a missing file', () => assert.deepEqual(evaluateFile(undefined, undefined, { mode: '640' }), ['does not exist']));

  it('names the actual and expected mode when it differs', () => {
    const p = evaluateFile({ ...info, mode: '644' }, undefined, { mode: '0640' });
    assert.equal(p.length, 1);
    assert.match(p[0]!, /644.*640/);
  });

  it('fails the wrong owner, group and type, one problem each', () => {
    const p = evaluateFile({ ...info, owner: 'www-data', group: 'root', type: 'directory' }, undefined, { owner: 'root', group: 'www-data', type: 'regular file' });
    assert.equal(p.length, 3);
    assert.match(p.join('\n'), /owner is www-data/);
    assert.match(p.join('\n'), /group is root/);
    assert.match(p.join('\n'), /is a directory/);
  });

  it('fails content that lacks a pattern or has a forbidden one', () => {
    const p = evaluateFile(info, content, { contains: ['host = db-2'], lacks: ['s3cret', /debug/] });
    assert.equal(p.length, 2);
    assert.match(p[0]!, /lacks host = db-2/);
    assert.match(p[1]!, /has s3cret/);
  });

  it("matches modes with no owner bits as stat prints them ('0' for 000, '44' for 044)", () => {
    assert.deepEqual(evaluateFile({ ...info, mode: '0' }, undefined, { mode: '000' }), []);
    assert.deepEqual(evaluateFile({ ...info, mode: '44' }, undefined, { mode: '0044' }), []);
  });

  describe('comment lines', () => {
    const conf = '# PermitRootLogin no\n  ; debug = true\nPasswordAuthentication no\n';

    it('fails a required line that is only there commented out, and says so', () => {
      const p = evaluateFile(info, conf, { contains: ['PermitRootLogin no', /^PasswordAuthentication no$/m] });
      assert.deepEqual(p, ['content lacks PermitRootLogin no (only in a comment line)']);
    });

    it('passes a forbidden line that is only there commented out (after blanks too)', () => {
      assert.deepEqual(evaluateFile(info, conf, { lacks: [/debug\s*=\s*true/, 'PermitRootLogin'] }), []);
    });

    it('matches comment lines when asked to', () => {
      const p = evaluateFile(info, conf, { comments: true, contains: ['PermitRootLogin no'], lacks: [/debug/] });
      assert.deepEqual(p, ['content has /debug/']);
    });

    it('takes other comment markers', () => {
      const php = '<?php\n// $debug = true;\n$host = "db";\n';
      assert.deepEqual(evaluateFile(info, php, { commentPrefixes: ['//'], lacks: ['$debug'], contains: ['$host'] }), []);
      assert.deepEqual(evaluateFile(info, php, { lacks: ['$debug'] }), ['content has $debug']);
    });
  });
});
