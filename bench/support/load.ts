/** Measuring helpers the benchmarks share: percentiles, rounding, and a closed-loop load runner. */

/** The `p`th percentile of an ascending list (nearest rank); 0 for an empty list. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `total` calls of `work` with `concurrency` in flight; rate per second and latencies in ms. */
export async function load(total: number, concurrency: number, work: () => Promise<void>): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        await work();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: round(total / seconds), p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2) };
}
