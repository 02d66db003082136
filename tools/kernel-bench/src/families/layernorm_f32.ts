// families/layernorm_f32.ts — LayerNorm forward and backward at SegFormer-B0's token shapes
// (128×256 input, batch 8: rows = tokens, cols = C of stages 1–4) and a wide C = 1024.
// GB/s = (x + y) bytes forward, (x + dy + dx) backward.
import { layerNormF32, layerNormGradF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import type { BenchContext } from './context.js';
import { type Case, refTiming, timeRow } from './spatial.js';

const SHAPES: [string, number, number][] = [
  ['stage 1', 16384, 32],
  ['stage 2', 4096, 64],
  ['stage 3', 1024, 160],
  ['stage 4', 256, 256],
  ['wide', 2048, 1024],
];

export async function benchLayernormF32(ctx: BenchContext, quick: boolean): Promise<Row[]> {
  const out: Row[] = [];
  for (const [name, rows, cols] of quick ? SHAPES.slice(0, 1) : SHAPES) {
    const n = rows * cols;
    const tag = `${name} rows=${rows} cols=${cols}`;
    const fwd: Case = { shape: `fwd ${tag}`, work: 2 * n * 4, unit: 'GB/s' };
    const bwd: Case = { shape: `bwd ${tag}`, work: 3 * n * 4, unit: 'GB/s' };
    const X = ctx.rng.f32(n, -2, 2);
    const G = ctx.rng.f32(cols, 0.5, 1.5);
    const B = ctx.rng.f32(cols, -1, 1);
    const DY = ctx.rng.f32(n, -1, 1);
    const stats = ref.layerNormF32(X, G, B, rows, cols, 1e-6);
    for (const { k, isa, impl } of ctx.ours('layernorm_f32')) {
      const x = k.from('f32', X);
      const g = k.from('f32', G);
      const b = k.from('f32', B);
      const y = k.alloc('f32', n);
      const mean = k.from('f32', stats.mean);
      const rstd = k.from('f32', stats.rstd);
      const m2 = k.alloc('f32', rows);
      const r2 = k.alloc('f32', rows);
      const dy = k.from('f32', DY);
      const dx = k.alloc('f32', n);
      const dg = k.alloc('f32', cols).fill(0);
      const db = k.alloc('f32', cols).fill(0);
      out.push(
        await timeRow(ctx, 'layernorm_f32', impl, fwd, () =>
          layerNormF32(k, x, g, b, y, m2, r2, { rows, cols, eps: 1e-6, isa }),
        ),
      );
      out.push(
        await timeRow(ctx, 'layernorm_f32', impl, bwd, () =>
          layerNormGradF32(k, x, g, mean, rstd, dy, dx, dg, db, { rows, cols, isa }),
        ),
      );
      for (const buf of [x, g, b, y, mean, rstd, m2, r2, dy, dx, dg, db]) buf.release();
    }
    if (ctx.includeRef) {
      const rc = refTiming(ctx);
      out.push(
        await timeRow(rc, 'layernorm_f32', 'ts-ref', fwd, () => ref.layerNormF32(X, G, B, rows, cols, 1e-6)),
      );
      out.push(
        await timeRow(rc, 'layernorm_f32', 'ts-ref', bwd, () =>
          ref.layerNormGradF32(X, G, stats.mean, stats.rstd, DY, G, B, rows, cols),
        ),
      );
    }
  }
  return out;
}
