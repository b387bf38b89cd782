/**
 * How much one person may send: a token bucket per person and server instance (a burst, then a
 * steady rate). Over it, a send is refused with 429 and the seconds to wait, never queued silently.
 */
import { HttpError } from '../http/errors';
import { errorText } from '../../shared/errors';

export interface MessagingLimits {
  /** Messages (and file uploads) one person may send at once after a pause. Default 30. */
  burst: number;
  /** Messages per second one person may keep sending. Default 10. */
  perSecond: number;
  /** A socket whose unsent output exceeds this many bytes is closed (the client catches up from history). Default 8 MiB. */
  maxBufferedBytes: number;
}

export const DEFAULT_MESSAGING_LIMITS: MessagingLimits = { burst: 30, perSecond: 10, maxBufferedBytes: 8 * 1024 * 1024 };

/** Per-person token buckets; forgets people who have been quiet long enough to be full again. */
export class SendRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: Pick<MessagingLimits, 'burst' | 'perSecond'>,
    private readonly now: () => number,
  ) {}

  /** Takes one send from `userId`'s bucket; throws 429 when it is empty. */
  take(userId: string): void {
    const now = this.now();
    const bucket = this.buckets.get(userId) ?? { tokens: this.limits.burst, at: now };
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limits.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(userId, bucket);
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / this.limits.perSecond));
      throw new HttpError('too_many_requests', errorText('messaging.tooFast', { wait }), { retryAfterSeconds: wait });
    }
    bucket.tokens -= 1;
    this.buckets.set(userId, bucket);
    // Bounded memory: a full bucket carries no information, so it can go.
    if (this.buckets.size > 10_000) {
      for (const [id, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.limits.perSecond >= this.limits.burst) this.buckets.delete(id);
    }
  }
}
