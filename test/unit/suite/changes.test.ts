import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ansibleChanges, commandChanges, puppetChanges } from '../../../harness/suite/changes.js';

const ansible = (changed: number, body: string) => `PLAY [localhost] ***
TASK [Gathering Facts] ***
ok: [localhost]
${body}
PLAY RECAP *********
localhost                  : ok=12   changed=${changed}    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0
`;

describe('suite/changes', () => {
  it('ansible: nothing changed', () => assert.deepEqual(ansibleChanges(ansible(0, 'TASK [web : nginx site] ***\nok: [localhost]')), []));

  it('ansible: names each changed task and handler once', () => {
    const out = ansible(3, 'TASK [web : nginx site] ***\nchanged: [localhost]\nTASK [web : app.ini] ***\nok: [localhost]\nTASK [web : stamp] ***\nchanged: [localhost] => (item=a)\nchanged: [localhost] => (item=b)\nRUNNING HANDLER [web : Reload nginx] ***\nchanged: [localhost]');
    assert.deepEqual(ansibleChanges(out), ['web : nginx site', 'web : stamp', 'web : Reload nginx']);
  });

  it('ansible: a recap that counts changes no line names still counts', () => assert.deepEqual(ansibleChanges(ansible(2, '')), ['2 change(s) in the play recap']));

  it('ansible: colours are ignored', () => assert.deepEqual(ansibleChanges('TASK [x] ***\n\x1b[0;33mchanged: [localhost]\x1b[0m\n'), ['x']));

  it('puppet: exit 0 is unchanged, whatever it printed', () => assert.deepEqual(puppetChanges('Notice: Applied catalog in 0.01 seconds', 0), []));

  it('puppet: exit 2 names the changed resources', () => {
    const out = [
      'Notice: Compiled catalog for app-1 in environment production in 0.02 seconds',
      "Notice: /Stage[main]/Main/File[/etc/app/app.conf]/content: content changed '{sha256}aa' to '{sha256}bb'",
      'Notice: /Stage[main]/Main/File[/etc/app/app.conf]/mode: mode changed \'0644\' to \'0640\'',
      'Notice: /Stage[main]/App::Service/Service[app]/ensure: ensure changed \'stopped\' to \'running\'',
      'Notice: Applied catalog in 0.05 seconds',
    ].join('\n');
    assert.deepEqual(puppetChanges(out, 2), ['File[/etc/app/app.conf]', 'Service[app]']);
  });

  it('puppet: exit 2 with no notice still says something changed', () => assert.deepEqual(puppetChanges('', 2), ['exit code 2 (changes applied)']));

  it("a project's own command: one change per printed line", () => assert.deepEqual(commandChanges('file /etc/a\n\n  user app \n'), ['file /etc/a', 'user app']));
});
