// families/transpose_f32.ts — batched transpose [B, N, C] ↔ [B, C, N] at SegFormer-B0's token shapes
// (128×256 input, batch 8) as the distillation losses permute them. GB/s = 2·bytes (read + write).
import { transposeF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import type { BenchContext } from './context.js';
import { type Case, refTiming, timeRow } from './spatial.js';

const SHAPES: [string, number, number, number][] = [
  ['stage 1 [B,N,C]→[B,C,N]', 8, 2048, 32],
  ['stage 1 [B,C,N]→[B,N,C]', 8, 32, 2048],
  ['decoder [B,N,C]→[B,C,N]', 8, 2048, 256],
  ['stage 3 [B,N,C]→[B,C,N]', 8, 128, 160],
];

export async function benchTransposeF32(ctx: BenchContext, quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, batch, r, c] of quick ? SHAPES.slice(0, 1) : SHAPES) {
    const n = batch * r * c;
    const cs: Case = { shape: `${name} ${batch}×${r}×${c}`, work: 2 * n * 4, unit: 'GB/s' };
    const X = ctx.rng.f32(n, -1, 1);
    for (const { k, isa, impl } of ctx.ours('transpose_f32')) {
      const x = k.from('f32', X);
      const y = k.alloc('f32', n);
      rows.push(
        await timeRow(ctx, 'transpose_f32', impl, cs, () =>
          transposeF32(k, x, y, { batch, rows: r, cols: c }, { isa }),
        ),
      );
      x.release();
      y.release();
    }
    if (ctx.includeRef) {
      rows.push(
        await timeRow(refTiming(ctx), 'transpose_f32', 'ts-ref', cs, () => ref.transposeF32(X, batch, r, c)),
      );
    }
  }
  return rows;
}
