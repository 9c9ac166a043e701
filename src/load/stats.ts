/** Percentiles and histogram buckets for the load figures (nearest-rank, on sorted copies). */

export interface Quantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function quantiles(values: number[]): Quantiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0, mean: sorted.length ? sum / sorted.length : 0 };
}

/** Upper bounds (ms) of the latency histogram: the same buckets in the picture and the OpenMetrics file. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/** Cumulative counts per upper bound (Prometheus `le`), the last one +Inf. */
export function cumulativeBuckets(values: number[], bounds = LATENCY_BUCKETS_MS): { le: number; count: number }[] {
  const sorted = [...values].sort((a, b) => a - b);
  let i = 0;
  const out = bounds.map((le) => {
    while (i < sorted.length && (sorted[i] ?? 0) <= le) i++;
    return { le, count: i };
  });
  out.push({ le: Number.POSITIVE_INFINITY, count: sorted.length });
  return out;
}

/** The most events in any window of `windowMs` (event times in ms, any order). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The longest run of consecutive `true` values. */
export function longestRun(values: boolean[]): number {
  let best = 0;
  let run = 0;
  for (const v of values) {
    run = v ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
