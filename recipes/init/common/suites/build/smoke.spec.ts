// The build suite: what the converge code made, checked on every server of a fresh environment.
// Run it with `npx shakedown run --suite build`; add a spec file here for each thing you build.
import { describe, it, environment, project, expectFile, expectListening, expectNoFailedUnits } from 'shakedown';

const env = environment();
const version = project().versions.find((v) => v.name === env.record.version)!;

for (const server of env.servers()) {
  describe(`${server.name} (${server.role})`, () => {
    it('has its config file, readable by root only', () =>
      expectFile(server, '/etc/{{name}}/{{name}}.conf', {
        owner: 'root',
        group: 'root',
        mode: '640',
        contains: [`role = ${server.role}\n`, `version = ${version.name}\n`, `log_level = ${version.vars.LOG_LEVEL}\n`],
      }));
    it('lets admins in: sshd listens on port 22', () => expectListening(server, 22, 'sshd'));
    it('has no failed units', () => expectNoFailedUnits(server));
  });
}
