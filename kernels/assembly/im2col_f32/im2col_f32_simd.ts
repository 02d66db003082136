// im2col_f32_simd.ts — im2col and its adjoint col2im for NHWC images, f32, WASM SIMD128.
//
// im2col_f32: cols[(b·outH + oy)·outW + ox][(ky·kW + kx)·c + ch] = x[b, oy·s−p+ky·d, ox·s−p+kx·d, ch],
//             0 where the tap is outside x (zero padding). Every element of cols is written.
// col2im_f32: dx[b, iy, ix, ch] += every cols element im2col would have copied from there
//             (accumulates; cols elements of taps outside x are ignored).
// Layout: x / dx [batch, inH, inW, c]; cols [batch·outH·outW, kH·kW·c] row-major, the GEMM operand
//   of a conv with weights [kH·kW·c, cout]. outH, outW are taken as given.
// With dilation 1 the kW taps of one kernel row are kW·c consecutive floats in x and in cols: one
//   copy (or add) per kernel row, split into zero-fill | copy | zero-fill at the image border; with
//   dilation > 1, one per tap. Copies move 16 floats per step, then 4, then the last 1–3 with lane
//   stores; their loads may read up to 12 bytes past x or cols (the arena's 16 tail bytes), never
//   store past an element of cols or dx.
// Numerics: im2col copies bits. col2im adds in the reference's order (rows, then taps in (ky, kx)
//   order), one f32 addition per contribution: the same operations as the scalar file, same bits.
// Twin: kernels/ref/im2col_f32.ts (ArrayBackend.im2col / col2im).
import { ceilDiv, floorDiv } from '../conv_geom';
import { storeLanes } from '../lanes';
import { checkIm2col } from './check';

// dst[0..n) = src[0..n).
// @ts-ignore: decorator
@inline function copyF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
    v128.store(dst + o, v128.load(src + o, 16), 16);
    v128.store(dst + o, v128.load(src + o, 32), 32);
    v128.store(dst + o, v128.load(src + o, 48), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  if (i < n) storeLanes(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)), n - i);
}

// dst[0..n) = 0.
// @ts-ignore: decorator
@inline function zeroF32(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = dst + (<usize>i << 2);
    v128.store(o, z);
    v128.store(o, z, 16);
    v128.store(o, z, 32);
    v128.store(o, z, 48);
  }
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  if (i < n) storeLanes(dst + (<usize>i << 2), z, n - i);
}

// dst[0..n) += src[0..n).
// @ts-ignore: decorator
@inline function addF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const d = dst + o;
    const s = src + o;
    v128.store(d, f32x4.add(v128.load(d), v128.load(s)));
    v128.store(d, f32x4.add(v128.load(d, 16), v128.load(s, 16)), 16);
    v128.store(d, f32x4.add(v128.load(d, 32), v128.load(s, 32)), 32);
    v128.store(d, f32x4.add(v128.load(d, 48), v128.load(s, 48)), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storeLanes(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)), n - i);
  }
}

// Walks every (cols row, kernel row) of the geometry; `adjoint` = col2im (dx += cols) instead of
// im2col (cols = x).
// @ts-ignore: decorator
@inline function walk(
  x: usize, cols: usize, batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  s: i32, p: i32, d: i32, outH: i32, outW: i32, adjoint: bool,
): void {
  const cB = <usize>c << 2;
  const tapRow = kW * c; // floats of one kernel row in a cols row
  const rowB = <usize>tapRow << 2;
  let r = cols;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * s - p;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * s - p;
        // Taps inside the row: kx in [kx0, kx1).
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

export function im2col_f32__simd(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, false);
}

export function col2im_f32__simd(
  cols: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, true);
}
