/** What every `xietong <command>` module exports (its one-line summary is in src/cli/index.ts). */
export interface CliCommand {
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/** A mistake in how the command was called or in its input: printed as one line, exit code 2 or given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
