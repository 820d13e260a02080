import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { bakeSteps, builderUserData, type BuilderRecipe } from '../../../../harness/provider/aws/builder-converge.js';
import { amiLineage, amiTags, IMAGE_TAG } from '../../../../harness/provider/aws/images.js';
import { RUN_TAG } from '../../../../harness/provider/aws/tags.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfaLBYd37nmj0YWWAdCrn522ezAJytEco19VO8Whejc shakedown-bake';
const recipe: BuilderRecipe = {
  image: 'shakedown/shop/db:v1-debian-12', source: '/src', packages: ['puppet-agent'], command: 'puppet apply site.pp', okCodes: [0, 2],
  env: { SHAKEDOWN_ROLE: 'db', SHAKEDOWN_BAKING: 'true' }, key: { publicKey: KEY, privateKey: '' },
};

describe('provider/aws/builder-converge', () => {
  it("gives the builder the run's public key for the admin the base image has, and refuses a private key", () => {
    const u = builderUserData(KEY);
    assert.match(u, /^#!\/bin\/sh\n/);
    assert.ok(u.includes(`printf '%s\\n' '${KEY}' > /etc/ssh/authorized_keys/testadmin`));
    assert.ok(u.includes('useradd --create-home --shell /bin/bash testadmin'));
    assert.throws(() => builderUserData('-----BEGIN OPENSSH PRIVATE KEY-----'), /never a private one/);
  });

  it('converges with baking on and the success codes of the tool, then removes keys, identity and cloud-init state before imaging', () => {
    const steps = bakeSteps(recipe);
    assert.deepEqual(steps.map((s) => s.what), ['waiting for cloud-init', 'the base layer', 'the name resolver', "installing the converge tool's packages", "converge command 'puppet apply site.pp'", 'cleaning up']);
    const converge = steps[4]!;
    assert.deepEqual(converge.ok, [0, 2]);
    assert.ok(converge.command.includes("export SHAKEDOWN_ROLE='db' SHAKEDOWN_BAKING='true'"));
    assert.ok(steps[3]!.command.endsWith('install -y -q --no-install-recommends puppet-agent'));
    const cleanup = steps[5]!.command;
    for (const gone of ['/etc/ssh/ssh_host_*', '/etc/ssh/authorized_keys/testadmin', '/home/testadmin/.ssh/authorized_keys', 'cloud-init clean', '/etc/machine-id']) assert.ok(cleanup.includes(gone), gone);
  });

  it('names resolve as on Docker: a local stub resolver answers from the hosts file the launch writes, which cloud-init leaves alone', () => {
    const names = bakeSteps(recipe)[2]!.command;
    for (const part of ['install -y -q --no-install-recommends systemd-resolved', 'ReadEtcHosts=yes', 'ln -sf /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf', 'manage_etc_hosts: false']) {
      assert.ok(names.includes(part), part);
    }
  });

  it("tags an AMI with its image name and lineage, and no run tag; reads the lineage back", () => {
    const l = {
      image: recipe.image, immutable: `${recipe.image}-0123456789ab-feedfacefeedface`, project: 'shop', role: 'db', version: 'v1', base: 'debian-12',
      hash: 'feedfacefeedface', ref: 'main', commit: '0123456789abcdef', dirty: false, baseAmi: 'ami-0abc', tool: 'x'.repeat(300), shakedown: '0.1.0', built: '2025-01-01T00:00:00Z',
    };
    const tags = amiTags(l);
    assert.equal(tags[IMAGE_TAG], recipe.image);
    assert.equal(tags[RUN_TAG], undefined);
    assert.ok(Object.values(tags).every((v) => v.length <= 256));
    assert.deepEqual(amiLineage(tags), { ...l, tool: 'x'.repeat(256) });
  });
});
