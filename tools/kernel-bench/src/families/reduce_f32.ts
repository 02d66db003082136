// families/reduce_f32.ts — the reduce_f32 family on 1M-element inputs in GB/s (bytes read): column
// sums (bias gradients of [tokens, C] with C = 256 and 32), last-axis sums and maxima, against the f64
// TS twin.
import { type Isa, reduceF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

// The builds to measure: the family has simd128 and scalar variants (no relaxed one).
const OURS_OP = 'reduce_sum_f32';

export async function benchReduceF32(ctx: BenchContext, quick = false): Promise<Row[]> {
  const rows: Row[] = [];
  const n = quick ? 1 << 18 : 1 << 20;
  const xs = ctx.rng.f32(n, -4, 4);
  const cases: ['sum' | 'max', number, number, number][] = [
    ['sum', 1, n / 256, 256],
    ['sum', 1, n / 32, 32],
    ['sum', n / 256, 256, 1],
    ['max', 1, n / 256, 256],
    ['max', n / 256, 256, 1],
  ];
  const shape = ([op, o, m, i]: (typeof cases)[number]) => `${op} [${o},${m},${i}] over mid`;
  const row = (impl: string, c: (typeof cases)[number], seconds: number): Row => ({
    family: 'reduce_f32',
    impl,
    shape: shape(c),
    median_s: seconds,
    gops: (4 * (n + c[1] * c[3])) / seconds / 1e9,
    unit: 'GB/s',
    ratio_vs: {},
  });
  for (const { k, isa, impl } of ctx.ours(OURS_OP)) {
    const x = k.from('f32', xs);
    const out = k.alloc('f32', n / 32);
    for (const c of cases) {
      const [op, outer, mid, inner] = c;
      const t = await timeIt(
        () => reduceF32(k, op, x, out, { outer, mid, inner }, { isa: isa as Isa }),
        ctx.timing,
      );
      rows.push(row(impl, c, t.medianSeconds));
    }
    x.release();
    out.release();
  }
  if (ctx.includeRef) {
    for (const c of [cases[0], cases[2]]) {
      const [op, outer, mid, inner] = c;
      const t = await timeIt(() => ref.reduceF32(op, xs, outer, mid, inner), ctx.timing);
      rows.push(row('ts-ref', c, t.medianSeconds));
    }
  }
  return rows;
}
