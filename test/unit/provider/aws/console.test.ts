import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { packageRoot } from '../../../../harness/paths.js';
import { bootsOnConsole, hostKeyFromEc2Console } from '../../../../harness/provider/aws/console.js';
import { fingerprint } from '../../../../harness/ssh/keys.js';

const fixture = (name: string) => readFileSync(path.join(packageRoot, 'test', 'fixtures', 'aws', name), 'utf8');
/** The key every fixture's server serves (ssh-keygen -lf on its .pub file). */
const ED25519 = 'SHA256:RHLPmmBS1TO2f/C7zCe1ydRCHj32f/VnU71UqjJ+1Vg';
const ECDSA = 'SHA256:4bYdbEkNgHwQTnPfA9+U98xdVSE5IBxki5qMDjDN6H0';

describe('provider/aws/console', () => {
  it("takes the ed25519 key from cloud-init's block, among every key type and an interleaved kernel line", () => {
    const key = hostKeyFromEc2Console(fixture('console-cloud-init.txt'));
    assert.equal(key?.type, 'ssh-ed25519');
    assert.equal(fingerprint(key!), ED25519);
  });

  it("reads the base image's own block, printed again on every boot, and counts the boots", () => {
    const text = fixture('console-base-image-rebooted.txt');
    assert.equal(fingerprint(hostKeyFromEc2Console(text)!), ED25519);
    // cloud-init's block and the base image's on the first boot, the base image's on the second.
    assert.equal(bootsOnConsole(text), 3);
    const firstBoot = text.slice(0, text.indexOf('reboot: Restarting system'));
    assert.equal(bootsOnConsole(firstBoot), 2);
  });

  it('reads keys behind an ec2: prefix with CRLF line ends, taking the only type there is', () => {
    const key = hostKeyFromEc2Console(fixture('console-ec2-prefixed.txt'));
    assert.equal(key?.type, 'ecdsa-sha2-nistp256');
    assert.equal(fingerprint(key!), ECDSA);
  });

  it('finds no key in a console whose block was cut off at the start, or is still being printed', () => {
    assert.equal(hostKeyFromEc2Console(fixture('console-trimmed-mid-boot.txt')), undefined);
    assert.equal(hostKeyFromEc2Console(''), undefined);
    const printing = fixture('console-cloud-init.txt').replace(/-----END SSH HOST KEY KEYS-----[\s\S]*$/, '');
    assert.equal(hostKeyFromEc2Console(printing), undefined);
  });

  it('takes the last complete block when a later one is still being printed', () => {
    const text = fixture('console-base-image-rebooted.txt') + '\n-----BEGIN SSH HOST KEY KEYS-----\nssh-ed25519 AAAAC3Nza';
    assert.equal(fingerprint(hostKeyFromEc2Console(text)!), ED25519);
  });
});
