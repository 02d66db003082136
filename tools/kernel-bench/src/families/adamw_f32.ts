// families/adamw_f32.ts — the fused AdamW step on a 1M-parameter tensor in GB/s (p, g, m, v read,
// p, m, v written: 28 B per parameter), against the f64 TS twin of the optimizer's loop.
import { adamwF32, type Isa } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

// The builds to measure: the family has simd128 and scalar variants (no relaxed one).
const OURS_OP = 'adamw_f32';

export async function benchAdamwF32(ctx: BenchContext, quick = false): Promise<Row[]> {
  const rows: Row[] = [];
  const n = quick ? 1 << 18 : 1 << 20;
  const ps = ctx.rng.f32(n, -1, 1);
  const gs = ctx.rng.f32(n, -1e-2, 1e-2);
  const ms = ctx.rng.f32(n, -1e-3, 1e-3);
  const vs = ctx.rng.f32(n, 0, 1e-6);
  const h = { lr: 6e-5, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 100 };
  const shape = `adamw n=${n} (28 B/param)`;
  const row = (impl: string, seconds: number): Row => ({
    family: 'adamw_f32',
    impl,
    shape,
    median_s: seconds,
    gops: (28 * n) / seconds / 1e9,
    unit: 'GB/s',
    ratio_vs: {},
  });
  for (const { k, isa, impl } of ctx.ours(OURS_OP)) {
    const [p, g, m, v] = [ps, gs, ms, vs].map((a) => k.from('f32', a));
    const t = await timeIt(() => adamwF32(k, { p, g, m, v }, h, { isa: isa as Isa }), ctx.timing);
    rows.push(row(impl, t.medianSeconds));
    for (const b of [p, g, m, v]) b.release();
  }
  if (ctx.includeRef) {
    const t = await timeIt(() => ref.adamwF32(ps, gs, ms, vs, h), ctx.timing);
    rows.push(row('ts-ref', t.medianSeconds));
  }
  return rows;
}
