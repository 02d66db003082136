// families/im2col_f32.ts — im2col and col2im at SegFormer-B0's overlapping patch embeds (k7 s4 p3 on
// RGB, k3 s2 p1) and its spatial-reduction convs (k = s = 8, 4), 128×256 input, batch 8.
// GB/s = (x + cols) bytes for im2col, (cols + 2·dx) for col2im (dx is read and written).
import { type ConvGeomF32, col2imF32, convOutSize, im2colF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import type { BenchContext } from './context.js';
import { type Case, refTiming, timeRow } from './spatial.js';

const SHAPES: [string, number, number, number, number, number, number, number][] = [
  // name, batch, H, W, C, k, stride, pad
  ['patch embed 1', 8, 128, 256, 3, 7, 4, 3],
  ['patch embed 2', 8, 32, 64, 32, 3, 2, 1],
  ['SR s1 k=s=8', 8, 32, 64, 32, 8, 8, 0],
  ['SR s2 k=s=4', 8, 16, 32, 64, 4, 4, 0],
];

export async function benchIm2colF32(ctx: BenchContext, quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, batch, h, w, c, kk, s, p] of quick ? SHAPES.slice(0, 1) : SHAPES) {
    const g: ConvGeomF32 = {
      batch,
      inH: h,
      inW: w,
      inC: c,
      kH: kk,
      kW: kk,
      stride: s,
      pad: p,
      dilation: 1,
      outH: convOutSize(h, kk, s, p),
      outW: convOutSize(w, kk, s, p),
    };
    const nx = batch * h * w * c;
    const nc = batch * g.outH * g.outW * kk * kk * c;
    const tag = `${name} [${batch},${h},${w},${c}] k${kk} s${s} p${p}`;
    const fwd: Case = { shape: `im2col ${tag}`, work: (nx + nc) * 4, unit: 'GB/s' };
    const bwd: Case = { shape: `col2im ${tag}`, work: (nc + 2 * nx) * 4, unit: 'GB/s' };
    const X = ctx.rng.f32(nx, -1, 1);
    const DC = ctx.rng.f32(nc, -1, 1);
    for (const { k, isa, impl } of ctx.ours('im2col_f32')) {
      const x = k.from('f32', X);
      const cols = k.alloc('f32', nc);
      const dcols = k.from('f32', DC);
      const dx = k.alloc('f32', nx).fill(0);
      rows.push(await timeRow(ctx, 'im2col_f32', impl, fwd, () => im2colF32(k, x, cols, g, { isa })));
      rows.push(await timeRow(ctx, 'im2col_f32', impl, bwd, () => col2imF32(k, dcols, dx, g, { isa })));
      for (const buf of [x, cols, dcols, dx]) buf.release();
    }
    if (ctx.includeRef) {
      const rc = refTiming(ctx);
      rows.push(await timeRow(rc, 'im2col_f32', 'ts-ref', fwd, () => ref.im2colF32(X, g)));
      rows.push(await timeRow(rc, 'im2col_f32', 'ts-ref', bwd, () => ref.col2imF32(DC, X, g)));
    }
  }
  return rows;
}
