import { describe, it } from 'mocha';
import { actionStart, earlierUnits, environment, bootTime, expectNoFailedUnits, expectNoNewErrors, type AllowedLine } from 'shakedown';

/** Known, harmless lines of a server in a container; each says why it is allowed. */
const allowed: AllowedLine[] = [
  { pattern: /Failed to get cgroup ID of cgroup/, why: 'systemd cannot read cgroup IDs through the read-only cgroup v1 mount; a warning' },
  { pattern: /Failed to set fd limit/, why: 'dbus may not raise its fd limit inside a container' },
  {
    pattern: /haproxy\[\d+\]: (Server web\/web\d+ is DOWN, reason: (Layer[47] |Socket error)|backend web has no server available!)/,
    why: 'servers boot together, so HAProxy may check a web node before nginx or PostgreSQL is up (refused, reset mid-start, or an error page); the end-to-end tests prove every node serves',
  },
  {
    pattern: /haproxy\[\d+\]: Server web\/web\d+ is going DOWN for maintenance \(No IP for server \)/,
    why: 'a web node rebooted or re-created while the load balancer runs (a rolling action) is gone from DNS for a moment; the between checks prove it is back in service',
  },
];

const env = environment();

describe('system health since boot', () => {
  for (const server of env.servers()) {
    it(`${server.name}: no failed units`, () => expectNoFailedUnits(server));
    it(`${server.name}: no errors in the journal or syslog since boot (or since the lifecycle action), outside earlier units`, async () => {
      const boot = await bootTime(server);
      const action = actionStart();
      // What an earlier unit on this environment did on purpose (killing daemons) is its own business.
      await expectNoNewErrors(server, action && action > boot ? action : boot, allowed, earlierUnits());
    });
  }
});
