// walk.ts — the loop nest of im2col / col2im (not an entry point), for every element type and ISA:
// im2col_f32 and col2im_f32 (T = f32) and im2col_i8 (T = i8), scalar (V = u64: 8 bytes a step) and
// SIMD (V = v128: 16). isVector<V>() is decided at compile time, so a scalar instance has no SIMD
// instruction in any build (tools/wasm-contract checks that).
// With dilation 1 the kW taps of one kernel row are kW·c consecutive elements in x and in cols: one
// copy (or add) per kernel row, split into fill | copy | fill at the image border; with dilation > 1,
// one per tap. im2col copies bytes (bits, for f32) and fills taps outside x with the byte padValue
// (0 for f32: +0.0); col2im (f32) adds each cols element back, one f32 addition per contribution in
// (rows, ky, kx) order, the reference's. SIMD adds read up to 12 bytes past an f32 run (the arena's
// 16 tail bytes) and store only its elements; copies and fills never touch a byte past their run.
import { ceilDiv, floorDiv } from '../conv_geom';
import { storeLanes } from '../lanes';

// dst[0..n) = src[0..n), bytes.
// @ts-ignore: decorator
@inline function copyBytes<V>(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (isVector<V>()) {
    for (; i + 64 <= n; i += 64) {
      const o = <usize>i;
      v128.store(dst + o, v128.load(src + o));
      v128.store(dst + o, v128.load(src + o, 16), 16);
      v128.store(dst + o, v128.load(src + o, 32), 32);
      v128.store(dst + o, v128.load(src + o, 48), 48);
    }
    for (; i + 16 <= n; i += 16) v128.store(dst + <usize>i, v128.load(src + <usize>i));
  }
  for (; i + 8 <= n; i += 8) store<u64>(dst + <usize>i, load<u64>(src + <usize>i));
  for (; i < n; i++) store<u8>(dst + <usize>i, load<u8>(src + <usize>i));
}

// dst[0..n) = v (a byte), n bytes.
// @ts-ignore: decorator
@inline function fillBytes<V>(dst: usize, v: i32, n: i32): void {
  let i = 0;
  if (isVector<V>()) {
    const s = i8x16.splat(<i8>v);
    for (; i + 16 <= n; i += 16) v128.store(dst + <usize>i, s);
  }
  const s8 = <u64>(v & 0xff) * 0x0101010101010101;
  for (; i + 8 <= n; i += 8) store<u64>(dst + <usize>i, s8);
  for (; i < n; i++) store<i8>(dst + <usize>i, <i8>v);
}

// dst[0..n) += src[0..n), f32.
// @ts-ignore: decorator
@inline function addF32<V>(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (isVector<V>()) {
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
    return;
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

// Walks every (cols row, kernel row) of the geometry: im2col (cols = x, padValue outside) or, with
// `adjoint` (T = f32 only), col2im (x += cols).
// @ts-ignore: decorator
@inline export function walk<T, V>(
  x: usize, cols: usize, batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  s: i32, p: i32, d: i32, outH: i32, outW: i32, padValue: i32, adjoint: bool,
): void {
  const eB = <usize>sizeof<T>();
  const cB = <usize>c * eB;
  const tapRow = kW * c; // elements of one kernel row in a cols row
  const rowB = <usize>tapRow * eB;
  let r = cols;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>b * <usize>inH * <usize>inW * cB;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * s - p;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * s - p;
        // Taps inside the row: kx in [kx0, kx1) (no division in the common dilation-1 case).
        const kx0 = min(kW, max(0, d == 1 ? -ix0 : ceilDiv(-ix0, d)));
        const kx1 = max(kx0, min(kW, d == 1 ? inW - ix0 : floorDiv(inW - 1 - ix0, d) + 1));
        for (let ky = 0; ky < kH; ky++) {
          const iy = iy0 + ky * d;
          const t = r + <usize>ky * rowB;
          if (iy < 0 || iy >= inH) {
            if (!adjoint) fillBytes<V>(t, padValue, <i32>rowB);
            continue;
          }
          const xRow = xImg + <usize>iy * <usize>inW * cB;
          if (!adjoint && kx0 > 0) fillBytes<V>(t, padValue, <i32>(<usize>kx0 * cB));
          if (d == 1) {
            const src = xRow + <usize>(ix0 + kx0) * cB;
            const n = (kx1 - kx0) * c;
            if (adjoint) addF32<V>(src, t + <usize>kx0 * cB, n);
            else copyBytes<V>(t + <usize>kx0 * cB, src, <i32>(<usize>n * eB));
          } else {
            for (let kx = kx0; kx < kx1; kx++) {
              const src = xRow + <usize>(ix0 + kx * d) * cB;
              if (adjoint) addF32<V>(src, t + <usize>kx * cB, c);
              else copyBytes<V>(t + <usize>kx * cB, src, <i32>cB);
            }
          }
          if (!adjoint && kx1 < kW) fillBytes<V>(t + <usize>kx1 * cB, padValue, <i32>(<usize>(kW - kx1) * cB));
        }
        r += <usize>kH * rowB;
      }
    }
  }
}
