// timing.ts — frame latency: untimed warm-up frames (V8 tiers WASM up, buffers get allocated),
// then timed frames until both a count and a time budget are reached. Implementations compared with
// each other take turns frame by frame, so a change in the machine's load (it is shared, and it
// moves) hits all of them alike and their ratio survives. Percentiles, not means, summarize; FPS is
// 1000 / mean latency (frames run back to back).

export interface TimingOptions {
  warmup: number;
  /** At least this many timed frames… */
  iters: number;
  /** …and at least this many seconds of them. */
  minTime: number;
  /** Never more than this many timed frames. */
  maxIters?: number;
}

export interface Latency {
  p50: number;
  p90: number;
  mean: number;
  /** Frames per second, sequential: 1000 / mean (ms). */
  fps: number;
  runs: number;
}

/** The q-quantile (0..1) of sorted samples, nearest-rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile: no samples.');
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summarize(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { p50: quantile(s, 0.5), p90: quantile(s, 0.9), mean, fps: 1000 / mean, runs: s.length };
}

/** Latency in milliseconds of each frame function, measured in turns (one frame of each per round). */
export async function timeInTurns<K extends string>(
  frames: Record<K, () => Promise<unknown>>,
  o: TimingOptions,
): Promise<Record<K, Latency>> {
  const keys = Object.keys(frames) as K[];
  for (let i = 0; i < o.warmup; i++) for (const k of keys) await frames[k]();
  const ms = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  // Rounds go on until every function has `iters` frames and the rounds took `minTime` per function
  // on average: a fast function (a small frame) then gets as many frames as the slow ones, not more.
  let spent = 0;
  const max = o.maxIters ?? 1000;
  for (let round = 0; round < max; round++) {
    if (round >= o.iters && spent >= o.minTime * 1000 * keys.length) break;
    for (const k of keys) {
      const t0 = performance.now();
      await frames[k]();
      const dt = performance.now() - t0;
      ms[k].push(dt);
      spent += dt;
    }
  }
  return Object.fromEntries(keys.map((k) => [k, summarize(ms[k])])) as Record<K, Latency>;
}
