// families/spatial.ts — what the spatial and normalization family benchmarks (dwconv, im2col,
// resize, layernorm, transpose) share: one timed row per (implementation, case), and the f64 TS
// twin as the `ts-ref` row. Rates are bytes moved (read + written once) per second, or GFLOPS for
// the convolutions (2 per multiply-add).
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

export interface Case {
  /** Shape column of the table, e.g. `fwd [8,32,64,128] 3x3 s1`. */
  shape: string;
  /** Work per call in `unit`s (bytes for GB/s, flops for GFLOPS). */
  work: number;
  unit: 'GB/s' | 'GFLOPS';
}

export async function timeRow(
  ctx: BenchContext,
  family: string,
  impl: string,
  c: Case,
  fn: () => unknown,
): Promise<Row> {
  const t = await timeIt(fn, ctx.timing);
  return {
    family,
    impl,
    shape: c.shape,
    median_s: t.medianSeconds,
    gops: c.work / t.medianSeconds / 1e9,
    unit: c.unit,
    ratio_vs: {},
  };
}

/** The TS twins are slow: time them with fewer repetitions. */
export function refTiming(ctx: BenchContext): BenchContext {
  return {
    ...ctx,
    timing: { ...ctx.timing, minReps: 3, warmup: 1, minTime: Math.min(ctx.timing.minTime ?? 0.3, 0.2) },
  };
}
