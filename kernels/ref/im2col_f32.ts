// ref/im2col_f32.ts — plain-TS twin of assembly/im2col_f32/*: im2col and its adjoint col2im for
// NHWC images, in f64. The loops of ArrayBackend.im2col / col2im (packages/autograd).
import type { ConvGeomRef } from './dwconv_f32.js';

/** cols [batch·outH·outW, kH·kW·C] from x [batch, inH, inW, C], taps outside x as 0. */
export function im2colF32(x: ArrayLike<number>, g: ConvGeomRef): Float64Array {
  const C = g.inC;
  const kc = g.kH * g.kW * C;
  const cols = new Float64Array(g.batch * g.outH * g.outW * kc);
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++, row++) {
        let o = row * kc;
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.stride - g.pad + ky * g.dilation;
          for (let kx = 0; kx < g.kW; kx++, o += C) {
            const ix = ox * g.stride - g.pad + kx * g.dilation;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue; // stays 0
            const src = ((b * g.inH + iy) * g.inW + ix) * C;
            for (let c = 0; c < C; c++) cols[o + c] = x[src + c];
          }
        }
      }
    }
  }
  return cols;
}

/** dx0 + the adjoint of im2col applied to dcols: every cols element added back where it came from. */
export function col2imF32(dcols: ArrayLike<number>, dx0: ArrayLike<number>, g: ConvGeomRef): Float64Array {
  const C = g.inC;
  const kc = g.kH * g.kW * C;
  const dx = Float64Array.from(dx0);
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++, row++) {
        let o = row * kc;
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.stride - g.pad + ky * g.dilation;
          for (let kx = 0; kx < g.kW; kx++, o += C) {
            const ix = ox * g.stride - g.pad + kx * g.dilation;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
            const dst = ((b * g.inH + iy) * g.inW + ix) * C;
            for (let c = 0; c < C; c++) dx[dst + c] += dcols[o + c];
          }
        }
      }
    }
  }
  return dx;
}

/**
 * The int8 im2col (im2col_i8): cols from an int8 x, taps outside x as `padValue` — im2colF32 of
 * x − padValue (whose padding 0 is then padValue again), exact in f64.
 */
export function im2colI8(x: Int8Array, g: ConvGeomRef, padValue: number): Int8Array {
  const cols = im2colF32(
    Float64Array.from(x, (v) => v - padValue),
    g,
  );
  return Int8Array.from(cols, (v) => v + padValue);
}
