import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GetConsoleOutputCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { SOURCE_DIR } from '../../environment/converge.js';
import { shellQuote } from '../../environment/server.js';
import { InfrastructureError } from '../../errors.js';
import type { LogContext } from '../../log.js';
import { recipesDir } from '../../paths.js';
import { SshConnection } from '../../ssh/connection.js';
import type { HostKey, KeyPair } from '../../ssh/keys.js';
import type { ConvergeBuilder } from './bake.js';
import type { Builder } from './builder.js';
import { ec2Call } from './classify.js';
import { hostKeyFromEc2Console } from './console.js';

const HOST_KEY_WAIT_MS = 10 * 60_000;
const STEP_TIMEOUT_MS = 20 * 60_000;

/** What converging a builder needs: the project's converge settings and the run's key. */
export interface BuilderRecipe {
  image: string;
  source: string;
  packages: string[];
  command: string;
  env: Record<string, string>;
  okCodes: number[];
  key: KeyPair;
}

/** The builder's first boot: the admin user with the run's public key, as the base image has it. */
export function builderUserData(authorizedKey: string): string {
  if (/PRIVATE KEY/.test(authorizedKey)) throw new Error('user data must carry a public key, never a private one');
  return [
    '#!/bin/sh',
    'set -eu',
    'id testadmin >/dev/null 2>&1 || useradd --create-home --shell /bin/bash testadmin',
    "usermod --password '*' testadmin",
    "echo 'testadmin ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/testadmin && chmod 0440 /etc/sudoers.d/testadmin",
    'install -d -m 755 /etc/ssh/authorized_keys',
    `printf '%s\\n' ${shellQuote(authorizedKey)} > /etc/ssh/authorized_keys/testadmin`,
    'install -d -m 700 -o testadmin -g testadmin /home/testadmin/.ssh',
    'install -m 600 -o testadmin -g testadmin /etc/ssh/authorized_keys/testadmin /home/testadmin/.ssh/authorized_keys',
    '',
  ].join('\n');
}

/**
 * Names as on Docker, whose embedded DNS answers for every server and role: systemd-resolved's stub
 * (the resolver /etc/resolv.conf then names) answers from /etc/hosts, where the launch writes the
 * environment's servers, and asks the VPC's resolver the rest. cloud-init must leave /etc/hosts be.
 */
const NAMES = [
  'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends systemd-resolved',
  "install -d /etc/systemd/resolved.conf.d && printf '[Resolve]\\nDNS=169.254.169.253\\nReadEtcHosts=yes\\nDNSStubListener=yes\\n' > /etc/systemd/resolved.conf.d/shakedown.conf",
  'ln -sf /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf && systemctl enable --now systemd-resolved.service',
  "printf 'manage_etc_hosts: false\\n' > /etc/cloud/cloud.cfg.d/90-shakedown.cfg",
].join(' && ');

/** The steps on the builder, in order; each runs as root and must exit with one of its codes. */
export function bakeSteps(r: BuilderRecipe): { what: string; command: string; ok: number[] }[] {
  const exports = Object.entries(r.env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
  const install = r.packages.length ? `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${r.packages.join(' ')}` : 'true';
  return [
    { what: 'waiting for cloud-init', command: 'cloud-init status --wait >/dev/null; true', ok: [0] },
    // The base recipe's units and sshd settings; the container-only masking of configure.sh does not apply.
    { what: 'the base layer', command: 'systemctl enable ssh-hostkeys.service hostkey-console.service boot-marker.service && echo LANG=C.UTF-8 > /etc/default/locale', ok: [0] },
    { what: 'the name resolver', command: NAMES, ok: [0] },
    { what: "installing the converge tool's packages", command: install, ok: [0] },
    { what: `converge command '${r.command}'`, command: `cd ${SOURCE_DIR} && export ${exports} && bash -c ${shellQuote(r.command)}`, ok: r.okCodes },
    // Nothing of this builder may reach the servers launched from the AMI: keys, identity, cloud-init's record.
    { what: 'cleaning up', command: 'rm -f /etc/ssh/ssh_host_* /etc/ssh/authorized_keys/testadmin /home/testadmin/.ssh/authorized_keys && cloud-init clean --logs && : > /etc/machine-id && apt-get clean', ok: [0] },
  ];
}

const tar = (dir: string) => execFileSync('tar', ['-cz', '-C', dir, '.'], { maxBuffer: 64 << 20 });

/** The converge of a real builder over SSH: its host key pinned from its console, never trusted on first use. */
export function sshConverge(ec2: EC2Client, r: BuilderRecipe, ctx: LogContext): ConvergeBuilder {
  return async (b: Builder) => {
    const hostKey = await consoleHostKey(ec2, b.instanceId, r.image);
    const ssh = await SshConnection.open({ server: `builder ${b.instanceId}`, host: b.publicIp, port: 22, hostKey }, { user: 'testadmin', privateKey: r.key.privateKey }, { deadline: Date.now() + HOST_KEY_WAIT_MS, ctx });
    try {
      const sudo = async (what: string, command: string, ok: number[], stdin?: Buffer) => {
        const res = await ssh.exec(`sudo -n bash -c ${shellQuote(command)} 2>&1`, { timeoutMs: STEP_TIMEOUT_MS, stdin });
        if (!ok.includes(res.code ?? -1)) throw new InfrastructureError(`baking ${r.image} on ${b.instanceId}: ${what} exited ${res.code}: ${res.stdout.trim().split('\n').slice(-5).join(' | ')}`);
        return res.stdout;
      };
      const [wait, ...rest] = bakeSteps(r);
      await sudo(wait!.what, wait!.command, wait!.ok);
      await sudo('uploading the base layer', 'tar -xz -C /', [0], tar(path.join(recipesDir, 'base', 'rootfs-overlay')));
      await sudo('uploading the configuration code', `rm -rf ${SOURCE_DIR} && mkdir -p ${SOURCE_DIR} && tar -xz -C ${SOURCE_DIR}`, [0], tar(r.source));
      const cleanup = rest.pop()!;
      for (const step of rest) await sudo(step.what, step.command, step.ok);
      const tool = await sudo("reading the converge tool's version", toolQuery(r.packages), [0]);
      await sudo(cleanup.what, cleanup.command, cleanup.ok);
      return { tool: tool.trim().slice(0, 200) || 'unknown' };
    } finally {
      ssh.close();
    }
  };
}

const toolQuery = (packages: string[]) =>
  packages.length ? `dpkg-query -W -f '\${Package}=\${Version} ' ${packages.join(' ')}` : 'echo "bash=$(dpkg-query -W -f "\\${Version}" bash)"';

async function consoleHostKey(ec2: EC2Client, instanceId: string, image: string): Promise<HostKey> {
  const deadline = Date.now() + HOST_KEY_WAIT_MS;
  for (;;) {
    const r = await ec2Call(`read the console of the builder ${instanceId}`, () => ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true })));
    const key = hostKeyFromEc2Console(Buffer.from(r.Output ?? '', 'base64').toString('utf8'));
    if (key) return key;
    if (Date.now() >= deadline) throw new InfrastructureError(`the builder ${instanceId} of ${image} showed no SSH host key on its console within ${HOST_KEY_WAIT_MS / 1000} s; read it with 'aws ec2 get-console-output --latest --instance-id ${instanceId}'`);
    await new Promise((res) => setTimeout(res, 5000));
  }
}
