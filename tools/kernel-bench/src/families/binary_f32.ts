// families/binary_f32.ts — the binary_f32 family on 1M-element outputs in GB/s (bytes read +
// written): same-shape add, bias add and per-channel scale (row broadcast, SegFormer-B0 widths 32 and
// 256), per-row scale (column broadcast), scalar, y += α·x and x·s + t, against the f64 TS twins.
import {
  affineF32,
  axpyF32,
  binaryColF32,
  binaryF32,
  binaryRowF32,
  binaryScalarF32,
  type Isa,
} from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import { timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

// The builds to measure: the family has simd128 and scalar variants (no relaxed one).
const OURS_OP = 'binary_f32';

export async function benchBinaryF32(ctx: BenchContext, quick = false): Promise<Row[]> {
  const rows: Row[] = [];
  const n = quick ? 1 << 18 : 1 << 20;
  const as = ctx.rng.f32(n, -4, 4);
  const bs = ctx.rng.f32(n, -4, 4);
  const row = (impl: string, shape: string, bytes: number, seconds: number): Row => ({
    family: 'binary_f32',
    impl,
    shape,
    median_s: seconds,
    gops: bytes / seconds / 1e9,
    unit: 'GB/s',
    ratio_vs: {},
  });
  const wide = [n / 256, 256] as const;
  const narrow = [n / 32, 32] as const;
  const shapes = {
    same: `add a[${n}] + b[${n}]`,
    rowWide: `mul row [${wide[0]}×${wide[1]}]·[${wide[1]}]`,
    rowNarrow: `add row [${narrow[0]}×${narrow[1]}]+[${narrow[1]}]`,
    col: `mul col [${wide[0]}×${wide[1]}]·[${wide[0]}]`,
    scalar: `div scalar a[${n}]/s`,
    axpy: `axpy y[${n}] += α·x`,
    affine: `affine x[${n}]·s + t`,
  };
  for (const { k, isa, impl } of ctx.ours(OURS_OP)) {
    const a = k.from('f32', as);
    const b = k.from('f32', bs);
    const out = k.alloc('f32', n);
    const o = { isa: isa as Isa };
    const cases: [string, number, () => void][] = [
      [shapes.same, 12 * n, () => binaryF32(k, 'add', a, b, out, o)],
      [
        shapes.rowWide,
        8 * n,
        () => binaryRowF32(k, 'mul', a, b, out, { rows: wide[0], cols: wide[1], ...o }),
      ],
      [
        shapes.rowNarrow,
        8 * n,
        () => binaryRowF32(k, 'add', a, b, out, { rows: narrow[0], cols: narrow[1], ...o }),
      ],
      [shapes.col, 8 * n, () => binaryColF32(k, 'mul', a, b, out, { rows: wide[0], cols: wide[1], ...o })],
      [shapes.scalar, 8 * n, () => binaryScalarF32(k, 'div', a, 3, out, o)],
      [shapes.axpy, 12 * n, () => axpyF32(k, a, out, 0.5, o)],
      [shapes.affine, 8 * n, () => affineF32(k, a, out, 0.5, 1, o)],
    ];
    for (const [shape, bytes, fn] of cases) {
      const t = await timeIt(fn, ctx.timing);
      rows.push(row(impl, shape, bytes, t.medianSeconds));
    }
    for (const x of [a, b, out]) x.release();
  }
  if (ctx.includeRef) {
    const cases: [string, number, () => void][] = [
      [shapes.same, 12 * n, () => ref.binaryF32('add', as, bs)],
      [shapes.rowWide, 8 * n, () => ref.binaryRowF32('mul', as, bs, wide[0], wide[1])],
      [shapes.axpy, 12 * n, () => ref.axpyF32(as, bs, 0.5)],
      [shapes.affine, 8 * n, () => ref.affineF32(as, 0.5, 1)],
    ];
    for (const [shape, bytes, fn] of cases) {
      const t = await timeIt(fn, ctx.timing);
      rows.push(row('ts-ref', shape, bytes, t.medianSeconds));
    }
  }
  return rows;
}
