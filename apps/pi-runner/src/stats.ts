// stats.ts — latency percentiles, nearest-rank: p-th percentile = the ⌈p/100·n⌉-th smallest value, a value
// that was actually observed (with fewer than 100 frames, p99 is the slowest frame).

export interface LatencyStats {
  frames: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function latencyStats(ms: readonly number[]): LatencyStats {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.length > 0 ? s.reduce((a, b) => a + b, 0) / s.length : Number.NaN;
  return {
    frames: s.length,
    mean,
    min: s[0] ?? Number.NaN,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? Number.NaN,
  };
}
