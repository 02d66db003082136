// families/dwconv_f32.ts — depthwise conv forward and backward at SegFormer-B0's Mix-FFN shapes
// (128×256 input, batch 8: 3×3 s1 p1 on the 4× hidden width) and MobileNetV3's (5×5 s2, 3×3 d2).
// GFLOPS = 2·MACs/s (the backward does 2 MACs per forward MAC: dx and dw).
import { type ConvGeomF32, convOutSize, dwconvF32, dwconvGradF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import type { BenchContext } from './context.js';
import { type Case, refTiming, timeRow } from './spatial.js';

const SHAPES: [string, number, number, number, number, number, number, number, number][] = [
  // name, batch, H, W, C, k, stride, pad, dilation
  ['Mix-FFN s1', 8, 32, 64, 128, 3, 1, 1, 1],
  ['Mix-FFN s2', 8, 16, 32, 256, 3, 1, 1, 1],
  ['Mix-FFN s4', 8, 4, 8, 1024, 3, 1, 1, 1],
  ['MNv3 5x5 s2', 8, 56, 56, 72, 5, 2, 2, 1],
  ['MNv3 3x3 d2', 8, 14, 14, 480, 3, 1, 2, 2],
];

export async function benchDwconvF32(ctx: BenchContext, quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, batch, h, w, c, kk, s, p, d] of quick ? SHAPES.slice(0, 1) : SHAPES) {
    const g: ConvGeomF32 = {
      batch,
      inH: h,
      inW: w,
      inC: c,
      kH: kk,
      kW: kk,
      stride: s,
      pad: p,
      dilation: d,
      outH: convOutSize(h, kk, s, p, d),
      outW: convOutSize(w, kk, s, p, d),
    };
    const nx = batch * h * w * c;
    const ny = batch * g.outH * g.outW * c;
    const nw = kk * kk * c;
    const macs = ny * kk * kk;
    const tag = `${name} [${batch},${h},${w},${c}] ${kk}x${kk} s${s} p${p} d${d}`;
    const fwd: Case = { shape: `fwd ${tag}`, work: 2 * macs, unit: 'GFLOPS' };
    const bwd: Case = { shape: `bwd ${tag}`, work: 4 * macs, unit: 'GFLOPS' };
    const X = ctx.rng.f32(nx, -1, 1);
    const W = ctx.rng.f32(nw, -1, 1);
    const B = ctx.rng.f32(c, -1, 1);
    const DY = ctx.rng.f32(ny, -1, 1);
    for (const { k, isa, impl } of ctx.ours('dwconv_f32')) {
      const x = k.from('f32', X);
      const wt = k.from('f32', W);
      const b = k.from('f32', B);
      const y = k.alloc('f32', ny);
      const dy = k.from('f32', DY);
      const dx = k.alloc('f32', nx).fill(0);
      const dw = k.alloc('f32', nw).fill(0);
      const db = k.alloc('f32', c).fill(0);
      rows.push(await timeRow(ctx, 'dwconv_f32', impl, fwd, () => dwconvF32(k, x, wt, b, y, g, { isa })));
      rows.push(
        await timeRow(ctx, 'dwconv_f32', impl, bwd, () =>
          dwconvGradF32(k, x, wt, dy, dx, dw, db, g, { isa }),
        ),
      );
      for (const buf of [x, wt, b, y, dy, dx, dw, db]) buf.release();
    }
    if (ctx.includeRef) {
      const rc = refTiming(ctx);
      rows.push(await timeRow(rc, 'dwconv_f32', 'ts-ref', fwd, () => ref.dwconvF32(X, W, B, g)));
      rows.push(
        await timeRow(rc, 'dwconv_f32', 'ts-ref', bwd, () => ref.dwconvGradF32(X, W, DY, g, X, W, B)),
      );
    }
  }
  return rows;
}
