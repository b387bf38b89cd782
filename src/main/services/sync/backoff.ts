/**
 * Exponential backoff with full jitter: after the n-th failure, wait a random time in
 * [base·2ⁿ/2, base·2ⁿ], capped. Jitter spreads a whole office's clients out when the server comes
 * back, instead of every one of them reconnecting in the same instant.
 */
export interface BackoffOptions {
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** A source of numbers in [0, 1); tests pass a seeded one. */
  readonly random?: () => number;
}

export class Backoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt, counting this failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 20));
    this.failures += 1;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
