import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../../shared/api';
import { createReachabilityMonitor, retryDelay } from './connectionMonitor';

afterEach(() => {
  vi.useRealTimers();
});

describe('retryDelay', () => {
  it('doubles from the minimum up to the maximum', () => {
    const noJitter = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, 1_000, 30_000, noJitter))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('spreads retries by at most a fifth either way', () => {
    expect(retryDelay(1, 1_000, 30_000, () => 0)).toBe(800);
    expect(retryDelay(1, 1_000, 30_000, () => 0.999999)).toBe(1_200);
  });
});

describe('reachability monitor', () => {
  it('goes offline when the server stops answering, backs off, and comes back online', async () => {
    vi.useFakeTimers();
    let reachable = true;
    const probes: number[] = [];
    const monitor = createReachabilityMonitor({
      isReachable: () => {
        probes.push(Date.now());
        return Promise.resolve(reachable);
      },
      intervalMs: 10_000,
      retryMinMs: 1_000,
      retryMaxMs: 4_000,
      random: () => 0.5,
    });
    const states: ConnectionState[] = [];
    monitor.subscribe((state) => states.push(state));
    expect(monitor.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.state).toBe('online');

    reachable = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.state).toBe('offline');
    const start = probes.length;
    await vi.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000 + 4_000);
    const gaps = probes.slice(start - 1).map((t, i, all) => (i === 0 ? 0 : t - all[i - 1]!)).slice(1);
    expect(gaps).toEqual([1_000, 2_000, 4_000, 4_000]);

    reachable = true;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(monitor.state).toBe('online');
    expect(states).toEqual(['online', 'offline', 'online']);
    monitor.close();
  });

  it('probes at once when another request reports a failure', async () => {
    vi.useFakeTimers();
    let reachable = true;
    let probes = 0;
    const monitor = createReachabilityMonitor({
      isReachable: () => {
        probes += 1;
        return Promise.resolve(reachable);
      },
      intervalMs: 60_000,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.state).toBe('online');
    reachable = false;
    monitor.reportFailure();
    await vi.advanceTimersByTimeAsync(0);
    expect(probes).toBe(2);
    expect(monitor.state).toBe('offline');
    monitor.close();
  });

  it('stops probing once closed', async () => {
    vi.useFakeTimers();
    let probes = 0;
    const monitor = createReachabilityMonitor({
      isReachable: () => {
        probes += 1;
        return Promise.resolve(false);
      },
      retryMinMs: 100,
    });
    await vi.advanceTimersByTimeAsync(0);
    monitor.close();
    const before = probes;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probes).toBe(before);
  });
});
