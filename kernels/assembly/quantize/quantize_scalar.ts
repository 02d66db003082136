// quantize_scalar.ts — quantize / dequantize / fake-quant / requantize, scalar twins of quantize_simd.ts.
// Same contracts as the SIMD file (see its header); these exist for hosts without SIMD and to test
// the SIMD tails and lane logic against a second implementation.
//
// Rounding: mode 0 = ties-to-even (f32.nearest), mode 1 = floor (the paper's ⌊x/S⌋, biased by −S/2).
// NaN → 0 before the zero point is added; ±∞ and out-of-range values saturate to [qmin, qmax].
// Requantize: y = clamp(round_half_even(acc·mult / 2^shift) + zp, qmin, qmax), exact in i64.

// q = clamp(round(x/S) + Z): the clamp happens in float, on [qmin−Z, qmax−Z], so the int
// conversion never overflows; trunc_sat turns a NaN into 0.
// @ts-ignore: decorator
@inline function quantizeOne(x: f32, scale: f32, lo: f32, hi: f32, zp: i32, rounding: i32): i32 {
  let v = x / scale;
  v = rounding == 1 ? f32.floor(v) : f32.nearest(v);
  v = f32.min(f32.max(v, lo), hi);
  return <i32>v + zp;
}

export function quantize_f32_i8__scalar(
  x: usize, y: usize, n: i32, scale: f32, zero_point: i32, qmin: i32, qmax: i32, rounding: i32,
): void {
  assert(n >= 0 && qmin <= qmax && qmin >= -128 && qmax <= 127 && scale > 0);
  assert(zero_point >= qmin && zero_point <= qmax);
  const lo = <f32>(qmin - zero_point);
  const hi = <f32>(qmax - zero_point);
  for (let i = 0; i < n; i++) {
    store<i8>(y + i, <i8>quantizeOne(load<f32>(x + (<usize>i << 2)), scale, lo, hi, zero_point, rounding));
  }
}

// Per channel: x is [outer][channels][inner] row-major; channel c uses scales[c] and, when
// zero_points != 0, zero_points[c] (i32), else 0.
export function quantize_f32_i8_pc__scalar(
  x: usize, y: usize, outer: i32, channels: i32, inner: i32, scales: usize, zero_points: usize,
  qmin: i32, qmax: i32, rounding: i32,
): void {
  assert(outer >= 0 && channels >= 0 && inner >= 0 && qmin <= qmax && qmin >= -128 && qmax <= 127);
  let idx: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = load<f32>(scales + (<usize>c << 2));
      const z = zero_points ? load<i32>(zero_points + (<usize>c << 2)) : 0;
      const lo = <f32>(qmin - z);
      const hi = <f32>(qmax - z);
      for (let i = 0; i < inner; i++) {
        store<i8>(y + idx, <i8>quantizeOne(load<f32>(x + (idx << 2)), s, lo, hi, z, rounding));
        idx++;
      }
    }
  }
}

export function dequantize_i8_f32__scalar(q: usize, y: usize, n: i32, scale: f32, zero_point: i32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) {
    store<f32>(y + (<usize>i << 2), <f32>(<i32>load<i8>(q + i) - zero_point) * scale);
  }
}

export function dequantize_i8_f32_pc__scalar(
  q: usize, y: usize, outer: i32, channels: i32, inner: i32, scales: usize, zero_points: usize,
): void {
  assert(outer >= 0 && channels >= 0 && inner >= 0);
  let idx: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = load<f32>(scales + (<usize>c << 2));
      const z = zero_points ? load<i32>(zero_points + (<usize>c << 2)) : 0;
      for (let i = 0; i < inner; i++) {
        store<f32>(y + (idx << 2), <f32>(<i32>load<i8>(q + idx) - z) * s);
        idx++;
      }
    }
  }
}

// Fake quant: y = (clamp(round(x/S)+Z) − Z)·S. mask (u8, optional when 0) = 1 where the unclamped
// round(x/S)+Z lies in [qmin, qmax]: the straight-through estimator passes the gradient there only.
export function fake_quant_f32__scalar(
  x: usize, y: usize, mask: usize, n: i32, scale: f32, zero_point: i32, qmin: i32, qmax: i32, rounding: i32,
): void {
  assert(n >= 0 && qmin <= qmax && scale > 0);
  const lo = <f32>(qmin - zero_point);
  const hi = <f32>(qmax - zero_point);
  for (let i = 0; i < n; i++) {
    let v = load<f32>(x + (<usize>i << 2)) / scale;
    v = rounding == 1 ? f32.floor(v) : f32.nearest(v);
    if (v != v) v = 0;
    const c = f32.min(f32.max(v, lo), hi);
    store<f32>(y + (<usize>i << 2), c * scale);
    if (mask) store<u8>(mask + i, v >= lo && v <= hi ? 1 : 0);
  }
}

// @ts-ignore: decorator
@inline function rescale(acc: i32, mult: i32, shift: i32, zp: i32, qmin: i32, qmax: i32): i32 {
  const p = <i64>acc * <i64>mult;
  const r = (p + ((<i64>1 << (shift - 1)) - 1) + ((p >> shift) & 1)) >> shift;
  const q = r + <i64>zp;
  return <i32>(q < <i64>qmin ? <i64>qmin : q > <i64>qmax ? <i64>qmax : q);
}

export function requantize_i32_i8__scalar(
  acc: usize, y: usize, n: i32, mult: i32, shift: i32, zero_point: i32, qmin: i32, qmax: i32,
): void {
  assert(n >= 0 && mult >= 0 && shift >= 1 && shift <= 62 && qmin <= qmax);
  for (let i = 0; i < n; i++) {
    store<i8>(y + i, <i8>rescale(load<i32>(acc + (<usize>i << 2)), mult, shift, zero_point, qmin, qmax));
  }
}

// Per channel along the last axis: acc is [rows][channels]; channel c uses mults[c] (i32) and the
// shared shift (the GEMM epilogue's convention: one shift per layer, see kernels/README.md).
export function requantize_i32_i8_pc__scalar(
  acc: usize, y: usize, rows: i32, channels: i32, mults: usize, shift: i32, zero_point: i32, qmin: i32, qmax: i32,
): void {
  assert(rows >= 0 && channels >= 0 && shift >= 1 && shift <= 62 && qmin <= qmax);
  let idx: usize = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const m = load<i32>(mults + (<usize>c << 2));
      store<i8>(y + idx, <i8>rescale(load<i32>(acc + (idx << 2)), m, shift, zero_point, qmin, qmax));
      idx++;
    }
  }
}
