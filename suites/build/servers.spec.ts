import { describe, it } from 'mocha';
import { environment, expectCronJob, expectFile, expectListening, expectPackage, expectService, expectUser } from 'shakedown';
import { expectationFor } from './roles.js';

const env = environment();

for (const server of env.servers()) {
  const want = expectationFor(server.role, env.record.version);
  if (!want) continue;
  describe(`${server.name} (${server.role})`, () => {
    it('has its packages', async () => {
      for (const p of want.packages) await expectPackage(server, p);
    });
    it('runs its services, enabled at boot', async () => {
      for (const s of want.services) await expectService(server, s);
    });
    it('has its config files with the right owner, mode and content', async () => {
      for (const [path, f] of Object.entries(want.files)) await expectFile(server, path, f);
    });
    it('has its users', async () => {
      for (const [user, u] of Object.entries(want.users)) await expectUser(server, user, u);
    });
    if (want.cron.length) {
      it('has its cron jobs where cron reads them', async () => {
        for (const c of want.cron) await expectCronJob(server, c);
      });
    }
    it('listens on its ports', async () => {
      for (const [port, process] of Object.entries(want.ports)) await expectListening(server, Number(port), process);
    });
  });
}
