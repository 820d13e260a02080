import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'mocha';
import { fingerprint, generateRunKey, parseHostKey, sameKey } from '../../../harness/ssh/keys.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'shakedown-keys-'));
const keygen = (args: string[], file: string, content: string) => {
  writeFileSync(path.join(dir, file), content, { mode: 0o600 });
  return execFileSync('ssh-keygen', [...args, path.join(dir, file)], { encoding: 'utf8' }).trim();
};

describe('ssh/keys', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pair = generateRunKey('shakedown-run-1');

  it('generates an ed25519 pair: a public line and an OpenSSH private key', () => {
    assert.match(pair.publicKey, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/]+=* shakedown-run-1$/);
    assert.match(pair.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n?$/);
    assert.notEqual(generateRunKey('x').publicKey.split(' ')[1], pair.publicKey.split(' ')[1]);
  });

  it('the private key is the one for the public key (ssh-keygen -y)', () => {
    const derived = keygen(['-y', '-f'], 'id_ed25519', pair.privateKey);
    assert.equal(derived.split(' ').slice(0, 2).join(' '), pair.publicKey.split(' ').slice(0, 2).join(' '));
  });

  it('fingerprints as ssh-keygen -lf does', () => {
    const fp = fingerprint(parseHostKey(pair.publicKey));
    assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(fp, keygen(['-lf'], 'id_ed25519.pub', pair.publicKey + '\n').split(' ')[1]);
    assert.equal(fingerprint(Buffer.from(pair.publicKey.split(' ')[1]!, 'base64')), fp);
  });

  it('parses key lines with a comment and surrounding whitespace', () => {
    const k = parseHostKey(`  ${pair.publicKey}\r\n`);
    assert.equal(k.type, 'ssh-ed25519');
    assert.equal(k.base64, pair.publicKey.split(' ')[1]);
    assert.equal(parseHostKey('ecdsa-sha2-nistp256 AAAAE2Vj root@db-1').type, 'ecdsa-sha2-nistp256');
  });

  it('rejects lines that are not SSH public keys', () => {
    for (const junk of ['', '   ', 'ssh-ed25519', 'hello world', '-----BEGIN SSH HOST KEY KEYS-----', 'rsa AAAAB3Nza']) {
      assert.throws(() => parseHostKey(junk), /not an SSH public key line/, JSON.stringify(junk));
    }
  });

  it('sameKey compares the pinned key with the presented blob', () => {
    const pinned = parseHostKey(pair.publicKey);
    assert.equal(sameKey(pinned, Buffer.from(pinned.base64, 'base64')), true);
    const other = parseHostKey(generateRunKey('other').publicKey);
    assert.equal(sameKey(pinned, Buffer.from(other.base64, 'base64')), false);
  });
});

describe('generateRunKey, many times', () => {
  it('always gives a private key that ssh2 can parse back (ssh2 alone fails about 1 in 200)', async () => {
    const ssh2 = (await import('ssh2')).default;
    for (let i = 0; i < 1500; i++) {
      const parsed = ssh2.utils.parseKey(generateRunKey(`k${i}`).privateKey);
      assert.ok(!(parsed instanceof Error), `key ${i}: ${(parsed as Error).message}`);
    }
  });
});
