/**
 * Size-capped rotating log files in `userData/logs`: `main.log`, then `main.1.log` … `main.<N-1>.log`
 * for older content. Writes are synchronous appends so the last lines before a crash are on disk, and
 * the total stays below `maxBytes × maxFiles` however long the app runs.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redactSecrets } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** What the main process logs through; `scope` names the module (e.g. `updater`). */
export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  child(scope: string): Logger;
}

export interface RotatingLogOptions {
  /** Folder of the log files, created if missing. */
  readonly dir: string;
  /** File stem: `main` → main.log, main.1.log, … */
  readonly name?: string;
  /** Size at which the current file is rotated (default 1 MiB). */
  readonly maxBytes?: number;
  /** Files kept, the current one included (default 5). */
  readonly maxFiles?: number;
  readonly level?: LogLevel;
  /** Also echo to stderr (development). */
  readonly echo?: boolean;
  readonly now?: () => Date;
}

/** The log files of `name` in `dir`, newest first (what diagnostics export collects). */
export const logFileNames = (name: string, maxFiles: number): string[] =>
  Array.from({ length: maxFiles }, (_unused, index) => (index === 0 ? `${name}.log` : `${name}.${index}.log`));

const describeDetail = (detail: unknown): string => {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` ${detail.name}: ${detail.message}${detail.stack ? `\n${detail.stack.split('\n').slice(1).join('\n')}` : ''}`;
  if (typeof detail === 'string') return ` ${detail}`;
  try {
    return ` ${JSON.stringify(detail)}`;
  } catch {
    // Circular or BigInt-holding objects: say what it was rather than lose the line.
    return ' [unserialisable detail]';
  }
};

/** A file log that rotates by size. Never throws from a log call: a full disk must not crash the app. */
export class RotatingLog {
  readonly dir: string;
  readonly name: string;
  readonly maxBytes: number;
  readonly maxFiles: number;
  private size: number;
  private readonly level: LogLevel;
  private readonly echo: boolean;
  private readonly now: () => Date;

  constructor(options: RotatingLogOptions) {
    this.dir = options.dir;
    this.name = options.name ?? 'main';
    this.maxBytes = Math.max(1024, options.maxBytes ?? 1024 * 1024);
    this.maxFiles = Math.min(50, Math.max(1, options.maxFiles ?? 5));
    this.level = options.level ?? 'info';
    this.echo = options.echo ?? false;
    this.now = options.now ?? (() => new Date());
    mkdirSync(this.dir, { recursive: true });
    try {
      this.size = statSync(this.currentFile).size;
    } catch {
      this.size = 0;
    }
  }

  get currentFile(): string {
    return join(this.dir, `${this.name}.log`);
  }

  /** Every file this log may have written, newest first. */
  get files(): string[] {
    return logFileNames(this.name, this.maxFiles).map((file) => join(this.dir, file));
  }

  write(level: LogLevel, scope: string, message: string, detail?: unknown): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.level]) return;
    // Redacted at write time: a secret that reaches a log file stays on disk for weeks.
    const line = redactSecrets(`${this.now().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}${describeDetail(detail)}`) + '\n';
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.currentFile, line, 'utf8');
      this.size += bytes;
    } catch {
      // Logging is best effort; the error it would report is not worth losing the app over.
    }
    if (this.echo) process.stderr.write(line);
  }

  /** Shifts main.log → main.1.log → … and drops the oldest. */
  private rotate(): void {
    const files = this.files;
    rmSync(files[files.length - 1]!, { force: true });
    for (let index = files.length - 2; index >= 0; index -= 1) {
      try {
        renameSync(files[index]!, files[index + 1]!);
      } catch {
        // A gap in the sequence (e.g. a file an admin deleted) is fine.
      }
    }
    this.size = 0;
  }

  logger(scope = 'main'): Logger {
    return {
      debug: (message, detail) => this.write('debug', scope, message, detail),
      info: (message, detail) => this.write('info', scope, message, detail),
      warn: (message, detail) => this.write('warn', scope, message, detail),
      error: (message, detail) => this.write('error', scope, message, detail),
      child: (inner) => this.logger(`${scope}:${inner}`),
    };
  }
}

/** A logger that drops everything (for services created without a log, e.g. in tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
