import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** moto_server: setup's venv first, then PATH. */
function motoServer(): string {
  const cached = path.join(process.env.SHAKEDOWN_CACHE ?? path.join(os.homedir(), '.cache', 'shakedown'), 'moto', 'bin', 'moto_server');
  return process.env.SHAKEDOWN_MOTO_SERVER ?? (existsSync(cached) ? cached : 'moto_server');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const AWS_ENV = ['AWS_ENDPOINT_URL_EC2', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE', 'AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING'] as const;

export interface Moto {
  endpoint: string;
  region: string;
  stop(): Promise<void>;
}

/**
 * A local EC2 API on a random loopback port, with AMI and instance-type validation on, and this
 * process's AWS settings pointed at it until stop().
 */
export async function startMoto(region = 'eu-west-1'): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn(motoServer(), ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ENABLE_AMI_VALIDATION: 'true', MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const saved = Object.fromEntries(AWS_ENV.map((k) => [k, process.env[k]]));
  Object.assign(process.env, { AWS_ENDPOINT_URL_EC2: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: region });
  delete process.env.AWS_PROFILE;
  return {
    endpoint,
    region,
    stop: async () => {
      for (const k of AWS_ENV) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
