import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { TransportError } from '../errors.js';
import { debug, type LogContext } from '../log.js';
import { bootingReason, classifySshError } from './classify.js';
import { fingerprint, sameKey, type HostKey } from './keys.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface ExecOptions {
  timeoutMs?: number;
  stdin?: string | Buffer;
}

export interface Endpoint {
  /** The server's name in reports and errors. */
  server: string;
  host: string;
  port: number;
  hostKey: HostKey;
}

export interface Credentials {
  user: string;
  privateKey: string;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

/** One SSH connection to one server, reused for every command of a run. */
export class SshConnection {
  private closed = false;

  private constructor(
    readonly server: string,
    private readonly client: ssh2.Client,
  ) {
    client.on('close', () => (this.closed = true));
    client.on('error', () => (this.closed = true));
  }

  /** Connects directly, or through `via` (the bastion) by a forwarded channel. */
  /**
   * `deadline` bounds everything, a slow handshake included; `retryUntil` (default: the deadline)
   * bounds only the retries of a server that refuses because it is still booting.
   */
  static async open(endpoint: Endpoint, creds: Credentials, opts: { via?: SshConnection; deadline: number; retryUntil?: number; ctx: LogContext }): Promise<SshConnection> {
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        const sock = opts.via ? await opts.via.forward(endpoint.host, endpoint.port, Math.max(1000, opts.deadline - Date.now())) : undefined;
        const client = await handshake(endpoint, creds, sock, opts.deadline);
        debug({ ...opts.ctx, server: endpoint.server }, `connected after ${attempt} attempt(s)`);
        return new SshConnection(endpoint.server, client);
      } catch (error) {
        const why = bootingReason(error);
        if (!why || Date.now() + backoff(attempt) > Math.min(opts.deadline, opts.retryUntil ?? opts.deadline)) {
          const classified = classifySshError(endpoint.server, error);
          if (why) classified.message += ` (gave up after ${attempt} attempts)`;
          throw classified;
        }
        debug({ ...opts.ctx, server: endpoint.server }, `attempt ${attempt}: ${why}; retrying`);
        await new Promise((r) => setTimeout(r, backoff(attempt)));
      }
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * A TCP channel from this server to host:port, as `ssh -J` uses. Bounded like exec(): the
   * request waits on this server's connect(), which can take minutes for an unreachable host.
   */
  forward(host: string, port: number, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new TransportError('timeout', this.server, `${this.server}: could not open a channel to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const opened = (err: Error | undefined, stream: ssh2.ClientChannel) => {
        if (settled) return stream?.destroy();
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(stream);
      };
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, opened);
      } catch (error) {
        opened(error as Error, undefined as never);
      }
    });
  }

  /**
   * Runs a command; never throws for a non-zero exit, only for transport failures. The timeout
   * covers opening the channel too: a server cut off from the network never answers that request,
   * and ssh2 only gives up on it when keepalives fail, half a minute later.
   */
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    if (this.closed) return Promise.reject(lost(this.server, command));
    return new Promise((resolve, reject) => {
      let settled = false;
      let channel: ssh2.ClientChannel | undefined;
      const timer = setTimeout(() => {
        settled = true;
        channel?.close();
        const what = channel ? 'did not finish' : 'did not start (no answer to the channel request)';
        reject(new TransportError('timeout', this.server, `${this.server}: \`${command}\` ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const opened = (err: Error | undefined, stream: ssh2.ClientChannel) => {
        if (settled) return stream?.close();
        if (err) {
          settled = true;
          clearTimeout(timer);
          return reject(classifySshError(this.server, err));
        }
        channel = stream;
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errOut.push(d));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          if (code === undefined || (code === null && this.closed)) return reject(lost(this.server, command));
          resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code: code ?? null });
        });
        stream.end(opts.stdin ?? undefined);
      };
      try {
        this.client.exec(command, opened);
      } catch {
        // ssh2 throws 'Not connected' when the socket has gone but its close event has not come yet.
        settled = true;
        clearTimeout(timer);
        reject(lost(this.server, command));
      }
    });
  }

  close(): void {
    this.closed = true;
    this.client.end();
  }
}

function lost(server: string, command: string): TransportError {
  return new TransportError('connection-lost', server, `${server}: connection lost while running \`${command.slice(0, 80)}\``);
}

function backoff(attempt: number): number {
  return Math.min(50 * 2 ** (attempt - 1), 500);
}

function handshake(endpoint: Endpoint, creds: Credentials, sock: Duplex | undefined, deadline: number): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: Buffer | undefined;
    client
      .on('ready', () => {
        // Small SSH packets (exec, eof, exit-status) must not wait on Nagle's algorithm and delayed ACKs.
        client.setNoDelay(true);
        resolve(client);
      })
      // The socket can close after the server's banner but before 'ready' (sshd restarting on a
      // relaunched server, or refusing logins by PAM while /run/nologin is there at boot): ssh2 then
      // emits only 'close', or through the bastion's channel only 'end' (it also stops its ready
      // timer), so without these the attempt never settles.
      .on('close', () => reject(Object.assign(new Error('Connection closed during the SSH handshake'), { level: 'client-socket' })))
      .on('end', () => {
        reject(Object.assign(new Error('Connection closed during the SSH handshake'), { level: 'client-socket' }));
        client.end();
      })
      .on('error', (err) => {
        client.end();
        if (presented && !sameKey(endpoint.hostKey, presented)) {
          reject(new TransportError('host-key-mismatch', endpoint.server,
            `${endpoint.server}: host key mismatch: pinned ${fingerprint(endpoint.hostKey)}, presented ${fingerprint(presented)}; refusing to connect (the server was replaced or someone is in the middle)`));
        } else reject(err);
      })
      .connect({
        host: endpoint.host,
        port: endpoint.port,
        sock,
        username: creds.user,
        privateKey: creds.privateKey,
        readyTimeout: Math.max(1000, Math.min(20_000, deadline - Date.now())),
        keepaliveInterval: 10_000,
        hostVerifier: (key: Buffer) => {
          presented = key;
          return sameKey(endpoint.hostKey, key);
        },
      });
  });
}
