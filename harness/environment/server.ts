import { CommandFailedError } from '../errors.js';
import { journalCause } from './failure-cause.js';
import type { SshConnection, ExecOptions, ExecResult } from '../ssh/connection.js';

const JOURNAL_TIMEOUT_MS = 10_000;

export interface CommandResult extends ExecResult {
  command: string;
  ok: boolean;
}

export interface FileInfo {
  path: string;
  owner: string;
  group: string;
  /** Octal permission bits, e.g. '640'. */
  mode: string;
  type: string;
  size: number;
}

/** Quotes a string for a POSIX shell. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A running server, reached over SSH as `testadmin`; what a suite sees. */
export class Server {
  constructor(
    readonly name: string,
    readonly role: string,
    private connection: SshConnection,
  ) {}

  /** Swapped in when the server comes back with a new connection (reboot, relaunch). */
  reconnected(connection: SshConnection): void {
    this.connection.close();
    this.connection = connection;
  }

  get ssh(): SshConnection {
    return this.connection;
  }

  /** Runs a command as testadmin. Never throws for a non-zero exit: look at `ok` and `code`. */
  async sh(command: string, opts?: ExecOptions): Promise<CommandResult> {
    const r = await this.connection.exec(command, opts);
    return { ...r, command, ok: r.code === 0 };
  }

  /** Runs a command as root, the way an admin does: `sudo bash -c "…"`. */
  sudo(command: string, opts?: ExecOptions): Promise<CommandResult> {
    return this.sh(`sudo -n bash -c ${shellQuote(command)}`, opts).then((r) => ({ ...r, command }));
  }

  /** Like sudo(), but a non-zero exit throws with the command's stderr. */
  async must(command: string, opts?: ExecOptions): Promise<string> {
    const r = await this.sudo(command, opts);
    if (!r.ok) throw await this.failure(r);
    return r.stdout;
  }

  /** A file's owner, group, mode and type, or undefined when it does not exist. */
  async file(path: string): Promise<FileInfo | undefined> {
    const r = await this.sudo(`stat -c '%U|%G|%a|%F|%s' -- ${shellQuote(path)}`);
    if (!r.ok) return undefined;
    const [owner, group, mode, type, size] = r.stdout.trim().split('|');
    return { path, owner: owner!, group: group!, mode: mode!, type: type!, size: Number(size) };
  }

  async get(path: string): Promise<string> {
    return this.must(`cat -- ${shellQuote(path)}`);
  }

  async put(path: string, content: string | Buffer, opts: { mode?: string; owner?: string } = {}): Promise<void> {
    const q = shellQuote(path);
    const chown = opts.owner ? ` && chown ${shellQuote(opts.owner)} ${q}` : '';
    await this.mustWithInput(`cat > ${q} && chmod ${opts.mode ?? '0644'} ${q}${chown}`, content);
  }

  async mustWithInput(command: string, stdin: string | Buffer, opts?: ExecOptions): Promise<string> {
    const r = await this.sudo(command, { ...opts, stdin });
    if (!r.ok) throw await this.failure(r);
    return r.stdout;
  }

  /** A failed command's error, with the journal of the service it was about (a `systemctl restart` that failed, say). */
  private async failure(r: CommandResult): Promise<CommandFailedError> {
    const output = r.stderr || r.stdout;
    const journal = await journalCause((c) => this.sudo(c, { timeoutMs: JOURNAL_TIMEOUT_MS }), `${r.command}\n${output}`);
    return new CommandFailedError(this.name, r.command, r.code, output, journal);
  }
}
