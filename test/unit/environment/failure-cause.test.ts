import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ansibleFailure, failedTask, journalCause, journalExcerpt, puppetFailure, unitsNamed, withCause } from '../../../harness/environment/failure-cause.js';

/** ansible-playbook's default output for a converge whose handler fails, after a failure it was told to ignore. */
const ansible = `
PLAY [all] *********************************************************************

TASK [Gathering Facts] *********************************************************
ok: [localhost]

TASK [db : Check for an old cluster] *******************************************
fatal: [localhost]: FAILED! => {"changed": true, "cmd": ["pg_lsclusters"], "msg": "non-zero return code", "rc": 1, "stderr": "no cluster"}
...ignoring

TASK [web : Write the site] ****************************************************
changed: [localhost]

RUNNING HANDLER [web : Reload nginx] *******************************************
fatal: [localhost]: FAILED! => {"changed": false, "msg": "Unable to reload service nginx: Job for nginx.service failed.\\nSee \\"systemctl status nginx.service\\" and \\"journalctl -xeu nginx.service\\" for details.\\n"}

NO MORE HOSTS LEFT *************************************************************

PLAY RECAP *********************************************************************
localhost                  : ok=3    changed=1    unreachable=0    failed=1    skipped=0    rescued=0    ignored=1
`;

/** What \`journalctl -u nginx -n 5 --no-pager -o cat\` prints after that reload. */
const nginxJournal = `Started nginx.service - A high performance web server and a reverse proxy server.
Reloading nginx.service - A high performance web server and a reverse proxy server...
nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/sites-enabled/app:12
nginx.service: Control process exited, code=exited, status=1/FAILURE
Reload failed for nginx.service - A high performance web server and a reverse proxy server.
`;

describe('environment/failure-cause', () => {
  it('finds the task or handler an Ansible run failed at, skipping a failure it ignored', () => {
    assert.deepEqual(ansibleFailure(ansible), {
      task: 'web : Reload nginx',
      message: 'Unable to reload service nginx: Job for nginx.service failed. | See "systemctl status nginx.service" and "journalctl -xeu nginx.service" for details.',
    });
  });

  it("quotes a failed command's stderr next to Ansible's msg, and reads colour-coded output", () => {
    const out = '\x1b[0;33mTASK [app : Write the config] ****\x1b[0m\n\x1b[0;31mfatal: [localhost]: FAILED! => {"changed": false, "msg": "Destination directory /etc/app does not exist"}\x1b[0m\n'
      + 'TASK [app : Migrate] ***\nfatal: [localhost]: FAILED! => {"changed": true, "msg": "non-zero return code", "rc": 2, "stderr": "migrate: table notes exists"}\n';
    assert.deepEqual(ansibleFailure(out), { task: 'app : Migrate', message: 'non-zero return code | migrate: table notes exists' });
    assert.deepEqual(ansibleFailure(out.split('TASK [app : Migrate]')[0]!), { task: 'app : Write the config', message: 'Destination directory /etc/app does not exist' });
  });

  it('finds no task in a run that did not fail on one', () => {
    assert.equal(ansibleFailure('PLAY RECAP ***\nlocalhost : ok=3 changed=0 failed=0\n'), undefined);
    assert.equal(ansibleFailure(ansible.replace('fatal: [localhost]: FAILED! => {"changed": false', 'ok: [localhost] => {"changed": false')), undefined);
  });

  it('finds the resource a Puppet run failed at', () => {
    const out = 'Notice: /Stage[main]/Web/File[/etc/nginx/sites-enabled/app]/content: content changed\nError: /Stage[main]/Web/Service[nginx]: Failed to call refresh: Systemd restart for nginx failed!\nNotice: Applied catalog in 3.1 seconds\n';
    assert.deepEqual(puppetFailure(out), { task: 'Service[nginx]', message: 'Failed to call refresh: Systemd restart for nginx failed!' });
    assert.deepEqual(failedTask('puppet', out)?.task, 'Service[nginx]');
    assert.equal(failedTask({ command: 'cat' }, ansible), undefined);
  });

  it('derives the unit from the failure, never from a list of known services', () => {
    assert.deepEqual(unitsNamed(ansibleFailure(ansible)!.message), ['nginx']);
    assert.deepEqual(unitsNamed('Job for php8.2-fpm.service failed because the control process exited'), ['php8.2-fpm']);
    assert.deepEqual(unitsNamed('systemctl restart postgresql@15-main && echo ok'), ['postgresql@15-main']);
    assert.deepEqual(unitsNamed('systemctl --no-block start a b.service; true'), ['a', 'b']);
    assert.deepEqual(unitsNamed('Destination directory /etc/app does not exist'), []);
  });

  it("keeps the service's last journal lines, without journalctl's notices", () => {
    assert.equal(journalExcerpt(`-- Journal begins at Mon 2024-05-01 --\n${nginxJournal}`, 3),
      'nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/sites-enabled/app:12 | nginx.service: Control process exited, code=exited, status=1/FAILURE | Reload failed for nginx.service - A high performance web server and a reverse proxy server.');
    assert.equal(journalExcerpt('-- No entries --\n'), '');
  });

  it("builds one message: what failed, the task, and the service's own words from its journal", async () => {
    const asked: string[] = [];
    const sudo = async (c: string) => (asked.push(c), { stdout: nginxJournal, code: 0 });
    const failed = ansibleFailure(ansible);
    const journal = await journalCause(sudo, failed!.message);
    assert.deepEqual(asked, ["journalctl -u 'nginx' -n 5 --no-pager -o cat"]);
    const message = withCause("web-1: converging role web with './apply.sh' failed (exit 2)", failed, 'unused', journal);
    assert.match(message, /^web-1: converging role web with '\.\/apply\.sh' failed \(exit 2\) at task \[web : Reload nginx\]: Unable to reload service nginx: /);
    assert.match(message, / — nginx's journal: .*nginx: \[emerg\] unknown directive "proxy_passs" in \/etc\/nginx\/sites-enabled\/app:12 \| /);
    assert.equal(message.split('\n').length, 1);
  });

  it('still reports the failure when the journal cannot be read or names no unit', async () => {
    assert.equal(await journalCause(async () => Promise.reject(new Error('connection lost')), 'Unable to start service x: boom'), '');
    assert.equal(await journalCause(async () => ({ stdout: '', code: 1 }), 'Unable to start service x: boom'), '');
    assert.equal(withCause('db-1: converging failed (exit 4)', undefined, 'last | lines', ''), 'db-1: converging failed (exit 4): last | lines');
  });
});
