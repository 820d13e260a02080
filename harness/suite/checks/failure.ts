/** A declarative check found the server not as declared; the message says what and where. */
export class CheckFailure extends Error {
  constructor(server: string, what: string, problems: string[]) {
    super(`${server}: ${what}: ${problems.join('; ')}`);
    this.name = 'CheckFailure';
  }
}

/** Throws when an evaluation found problems. */
export function assertNone(server: string, what: string, problems: string[]): void {
  if (problems.length) throw new CheckFailure(server, what, problems);
}
