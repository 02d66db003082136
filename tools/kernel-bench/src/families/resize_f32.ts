// families/resize_f32.ts — bilinear resize (align_corners = false) and its adjoint at SegFormer-B0's
// decoder shapes (stage features to 1/4 resolution, C = 256; logits ×4 to the label size, C = 19)
// and an RGB downsample, 128×256 input, batch 8. GB/s = (x + y) bytes forward, (dy + 2·dx) backward.
import { type ResizeGeomF32, resizeBilinearF32, resizeBilinearGradF32 } from '@edgeseg/kernels';
import * as ref from '@edgeseg/kernels/ref';
import type { Row } from '../report.js';
import type { BenchContext } from './context.js';
import { type Case, refTiming, timeRow } from './spatial.js';

const SHAPES: [string, ResizeGeomF32][] = [
  ['decoder s2 ×2', { batch: 8, inH: 16, inW: 32, outH: 32, outW: 64, c: 256 }],
  ['decoder s4 ×8', { batch: 8, inH: 4, inW: 8, outH: 32, outW: 64, c: 256 }],
  ['logits ×4', { batch: 8, inH: 32, inW: 64, outH: 128, outW: 256, c: 19 }],
  ['RGB ÷2', { batch: 8, inH: 256, inW: 512, outH: 128, outW: 256, c: 3 }],
];

export async function benchResizeF32(ctx: BenchContext, quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, g] of quick ? SHAPES.slice(0, 1) : SHAPES) {
    const ni = g.batch * g.inH * g.inW * g.c;
    const no = g.batch * g.outH * g.outW * g.c;
    const tag = `${name} [${g.batch},${g.inH},${g.inW},${g.c}]→${g.outH}×${g.outW}`;
    const fwd: Case = { shape: `fwd ${tag}`, work: (ni + no) * 4, unit: 'GB/s' };
    const bwd: Case = { shape: `bwd ${tag}`, work: (no + 2 * ni) * 4, unit: 'GB/s' };
    const X = ctx.rng.f32(ni, -1, 1);
    const DY = ctx.rng.f32(no, -1, 1);
    for (const { k, isa, impl } of ctx.ours('resize_bilinear_f32')) {
      const x = k.from('f32', X);
      const y = k.alloc('f32', no);
      const dy = k.from('f32', DY);
      const dx = k.alloc('f32', ni).fill(0);
      rows.push(await timeRow(ctx, 'resize_f32', impl, fwd, () => resizeBilinearF32(k, x, y, g, { isa })));
      rows.push(
        await timeRow(ctx, 'resize_f32', impl, bwd, () => resizeBilinearGradF32(k, dy, dx, g, { isa })),
      );
      for (const buf of [x, y, dy, dx]) buf.release();
    }
    if (ctx.includeRef) {
      const rc = refTiming(ctx);
      rows.push(await timeRow(rc, 'resize_f32', 'ts-ref', fwd, () => ref.resizeBilinearF32(X, g)));
      rows.push(await timeRow(rc, 'resize_f32', 'ts-ref', bwd, () => ref.resizeBilinearGradF32(DY, X, g)));
    }
  }
  return rows;
}
