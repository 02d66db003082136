// im2col_f32_scalar.ts — im2col and its adjoint col2im for NHWC images, f32, scalar (hosts without
// SIMD). Operations, layout and argument meaning: as in im2col_f32_simd.ts, whose header is the
// contract of both files; the same walk over (cols row, kernel row) with element loops in place of
// vector copies. Reads and writes exactly the elements of the buffers.
// Numerics: im2col copies bits; col2im adds in the same order as the SIMD file: the same bits.
// Twin: kernels/ref/im2col_f32.ts.
import { ceilDiv, floorDiv } from '../conv_geom';
import { checkIm2col } from './check';

// @ts-ignore: decorator
@inline function copyF32(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

// @ts-ignore: decorator
@inline function zeroF32(dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// @ts-ignore: decorator
@inline function addF32(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

// @ts-ignore: decorator
@inline function walk(
  x: usize, cols: usize, batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  s: i32, p: i32, d: i32, outH: i32, outW: i32, adjoint: bool,
): void {
  const cB = <usize>c << 2;
  const tapRow = kW * c;
  const rowB = <usize>tapRow << 2;
  let r = cols;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * s - p;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * s - p;
        // (no division in the common dilation-1 case)
        const kx0 = min(kW, max(0, d == 1 ? -ix0 : ceilDiv(-ix0, d)));
        const kx1 = max(kx0, min(kW, d == 1 ? inW - ix0 : floorDiv(inW - 1 - ix0, d) + 1));
        for (let ky = 0; ky < kH; ky++) {
          const iy = iy0 + ky * d;
          const t = r + <usize>ky * rowB;
          if (iy < 0 || iy >= inH) {
            if (!adjoint) zeroF32(t, tapRow);
            continue;
          }
          const xRow = xImg + <usize>iy * <usize>inW * cB;
          if (!adjoint && kx0 > 0) zeroF32(t, kx0 * c);
          if (d == 1) {
            const src = xRow + <usize>(ix0 + kx0) * cB;
            const n = (kx1 - kx0) * c;
            if (adjoint) addF32(src, t + <usize>kx0 * cB, n);
            else copyF32(t + <usize>kx0 * cB, src, n);
          } else {
            for (let kx = kx0; kx < kx1; kx++) {
              const src = xRow + <usize>(ix0 + kx * d) * cB;
              if (adjoint) addF32(src, t + <usize>kx * cB, c);
              else copyF32(t + <usize>kx * cB, src, c);
            }
          }
          if (!adjoint && kx1 < kW) zeroF32(t + <usize>kx1 * cB, (kW - kx1) * c);
        }
        r += <usize>kH * rowB;
      }
    }
  }
}

export function im2col_f32__scalar(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, false);
}

export function col2im_f32__scalar(
  cols: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, true);
}
