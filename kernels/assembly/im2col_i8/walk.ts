// walk.ts — the loop nest of im2col_i8 (not an entry point), shared by the scalar and SIMD files,
// which differ only in how they copy and fill a run of bytes: walkI8<v128> moves 16 bytes a step,
// walkI8<u64> 8 (isVector<T>() is decided at compile time, so the scalar instance has no SIMD
// instruction in any build — tools/wasm-contract checks that).
import { ceilDiv, checkGeom, disjoint, floorDiv, inMemory } from '../conv_geom';

// x [batch, inH, inW, c] and cols [batch·outH·outW, kH·kW·c], bytes, inside the memory and disjoint.
// @ts-ignore: decorator
@inline export function checkIm2colI8(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32, padValue: i32,
): void {
  if (ASC_NO_ASSERT) return;
  checkGeom(batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(<i64>kH * <i64>kW * <i64>c < 0x40000000);
  assert(padValue >= -128 && padValue <= 127);
  const xb = <u64>batch * <u64>inH * <u64>inW * <u64>c;
  const cb = <u64>batch * <u64>outH * <u64>outW * <u64>kH * <u64>kW * <u64>c;
  assert(inMemory(x, xb) && inMemory(cols, cb));
  assert(disjoint(x, xb, cols, cb));
}

// dst[0..n) = src[0..n), bytes: sizeof<T>() at a time, the rest one by one.
// @ts-ignore: decorator
@inline function copyBytes<T>(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (isVector<T>()) {
    for (; i + 16 <= n; i += 16) v128.store(dst + <usize>i, v128.load(src + <usize>i));
  } else {
    for (; i + 8 <= n; i += 8) store<u64>(dst + <usize>i, load<u64>(src + <usize>i));
  }
  for (; i < n; i++) store<u8>(dst + <usize>i, load<u8>(src + <usize>i));
}

// dst[0..n) = v.
// @ts-ignore: decorator
@inline function fillBytes<T>(dst: usize, v: i32, n: i32): void {
  let i = 0;
  if (isVector<T>()) {
    const s = i8x16.splat(<i8>v);
    for (; i + 16 <= n; i += 16) v128.store(dst + <usize>i, s);
  } else {
    const s = <u64>(v & 0xff) * 0x0101010101010101;
    for (; i + 8 <= n; i += 8) store<u64>(dst + <usize>i, s);
  }
  for (; i < n; i++) store<i8>(dst + <usize>i, <i8>v);
}

// @ts-ignore: decorator
@inline export function walkI8<T>(
  x: usize, cols: usize, batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  s: i32, p: i32, d: i32, outH: i32, outW: i32, padValue: i32,
): void {
  const cB = <usize>c;
  const tapRow = kW * c; // bytes of one kernel row in a cols row
  const rowB = <usize>tapRow;
  let r = cols;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * s - p;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * s - p;
        // Taps inside the row: kx in [kx0, kx1).
        const kx0 = min(kW, max(0, d == 1 ? -ix0 : ceilDiv(-ix0, d)));
        const kx1 = max(kx0, min(kW, d == 1 ? inW - ix0 : floorDiv(inW - 1 - ix0, d) + 1));
        for (let ky = 0; ky < kH; ky++) {
          const iy = iy0 + ky * d;
          const t = r + <usize>ky * rowB;
          if (iy < 0 || iy >= inH) {
            fillBytes<T>(t, padValue, tapRow);
            continue;
          }
          const xRow = xImg + <usize>iy * <usize>inW * cB;
          if (kx0 > 0) fillBytes<T>(t, padValue, kx0 * c);
          if (d == 1) {
            copyBytes<T>(t + <usize>kx0 * cB, xRow + <usize>(ix0 + kx0) * cB, (kx1 - kx0) * c);
          } else {
            for (let kx = kx0; kx < kx1; kx++) {
              copyBytes<T>(t + <usize>kx * cB, xRow + <usize>(ix0 + kx * d) * cB, c);
            }
          }
          if (kx1 < kW) fillBytes<T>(t + <usize>kx1 * cB, padValue, (kW - kx1) * c);
        }
        r += <usize>kH * rowB;
      }
    }
  }
}
