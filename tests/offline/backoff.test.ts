import { describe, it, expect } from 'vitest';
import { Backoff } from '../../src/main/services/sync/backoff';

describe('backoff', () => {
  it('doubles up to the cap, spreads each delay over the upper half, and starts over after reset', () => {
    const low = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
    const high = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect(Array.from({ length: 6 }, () => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect(Array.from({ length: 6 }, () => high.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(low.attempts).toBe(6);
    low.reset();
    expect(low.next()).toBe(50);
  });
});
