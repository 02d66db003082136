// quantize_simd.ts — quantize / dequantize / fake-quant / requantize, WASM SIMD128, 16 elements a step.
//
// quantize_f32_i8:   y[i] = clamp(round(x[i]/S) + Z, qmin, qmax)      x f32, y i8
// dequantize_i8_f32: y[i] = (q[i] − Z)·S                               q i8,  y f32
// fake_quant_f32:    y[i] = (clamp(round(x[i]/S)+Z) − Z)·S, mask[i] = 1 where round(x/S)+Z ∈ [qmin, qmax]
// requantize_i32_i8: y[i] = clamp(round_half_even(acc[i]·M / 2^shift) + Z, qmin, qmax), exact in i64
// `_pc` variants: per channel; quantize/dequantize over [outer][channels][inner], requantize over
// [rows][channels] with per-channel M and one shared shift.
//
// Rounding: ties-to-even (the FPU's own, via a magic-number add, see quantize4) or f32x4.floor
// (rounding = 1); x/S is a true division, as in ONNX QuantizeLinear, not a multiply by 1/S. NaN is
// replaced by 0, so it quantizes to Z. Clamping happens in float on [qmin−Z, qmax−Z] (integers, so
// clamp-then-round = round-then-clamp) and the narrows saturate.
// Reads and writes whole vectors only while 16 elements remain; tails run the scalar code, so no
// byte past any buffer is read or written.
// Twin: kernels/ref/quantize.ts — results bit-exact.

// Rounding without f32x4.nearest + i32x4.trunc_sat (V8 lowers trunc_sat to a long sequence on x64):
// after NaN → 0 and the clamp, |v| ≤ 255, so adding 1.5·2^23 makes the FPU round v to an integer
// (ties-to-even, the default rounding mode) in the low mantissa bits; subtracting the magic's bit
// pattern, less the zero point, leaves round(v) + Z as an i32. pmin/pmax are single minps/maxps;
// they are safe here because NaN is gone before them.
const MAGIC: f32 = 12582912.0; // 1.5 · 2^23
const MAGIC_BITS: i32 = 0x4b400000;

// @ts-ignore: decorator
@inline function quantize4(x: v128, s: v128, lo: v128, hi: v128, magic: v128, magicLessZp: v128, floorMode: bool): v128 {
  let v = f32x4.div(x, s);
  if (floorMode) v = f32x4.floor(v);
  v = v128.and(v, f32x4.eq(v, v)); // NaN → +0
  v = f32x4.pmin(f32x4.pmax(v, lo), hi);
  return i32x4.sub(f32x4.add(v, magic), magicLessZp);
}

// @ts-ignore: decorator
@inline function packI8(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

// @ts-ignore: decorator
@inline function quantizeOne(x: f32, scale: f32, lo: f32, hi: f32, zp: i32, floorMode: bool): i32 {
  let v = x / scale;
  v = floorMode ? f32.floor(v) : f32.nearest(v);
  v = f32.min(f32.max(v, lo), hi);
  return <i32>v + zp;
}

// @ts-ignore: decorator
@inline function quantizeRun(
  x: usize, y: usize, n: i32, scale: f32, zp: i32, qmin: i32, qmax: i32, floorMode: bool,
): void {
  const lo = <f32>(qmin - zp);
  const hi = <f32>(qmax - zp);
  const vs = f32x4.splat(scale);
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  const vm = f32x4.splat(MAGIC);
  const vmz = i32x4.splat(MAGIC_BITS - zp);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const a = quantize4(v128.load(p), vs, vlo, vhi, vm, vmz, floorMode);
    const b = quantize4(v128.load(p, 16), vs, vlo, vhi, vm, vmz, floorMode);
    const c = quantize4(v128.load(p, 32), vs, vlo, vhi, vm, vmz, floorMode);
    const d = quantize4(v128.load(p, 48), vs, vlo, vhi, vm, vmz, floorMode);
    v128.store(y + i, packI8(a, b, c, d));
  }
  for (; i < n; i++) {
    store<i8>(y + i, <i8>quantizeOne(load<f32>(x + (<usize>i << 2)), scale, lo, hi, zp, floorMode));
  }
}

export function quantize_f32_i8__simd(
  x: usize, y: usize, n: i32, scale: f32, zero_point: i32, qmin: i32, qmax: i32, rounding: i32,
): void {
  assert(n >= 0 && qmin <= qmax && qmin >= -128 && qmax <= 127 && scale > 0);
  assert(zero_point >= qmin && zero_point <= qmax);
  if (rounding == 1) quantizeRun(x, y, n, scale, zero_point, qmin, qmax, true);
  else quantizeRun(x, y, n, scale, zero_point, qmin, qmax, false);
}

export function quantize_f32_i8_pc__simd(
  x: usize, y: usize, outer: i32, channels: i32, inner: i32, scales: usize, zero_points: usize,
  qmin: i32, qmax: i32, rounding: i32,
): void {
  assert(outer >= 0 && channels >= 0 && inner >= 0 && qmin <= qmax && qmin >= -128 && qmax <= 127);
  const floorMode = rounding == 1;
  if (inner == 1) {
    // Channels on the last axis ([rows][channels]): load 4 scales at a time along the row.
    const vmin = i32x4.splat(qmin);
    const vmax = i32x4.splat(qmax);
    for (let o = 0; o < outer; o++) {
      const xr = x + (<usize>(o * channels) << 2);
      const yr = y + <usize>(o * channels);
      let c = 0;
      for (; c + 4 <= channels; c += 4) {
        const s = v128.load(scales + (<usize>c << 2));
        const z = zero_points ? v128.load(zero_points + (<usize>c << 2)) : i32x4.splat(0);
        let v = f32x4.div(v128.load(xr + (<usize>c << 2)), s);
        v = floorMode ? f32x4.floor(v) : f32x4.nearest(v);
        // Clamp in float to the widest int8 window first (no i32 overflow), then exactly in int.
        v = f32x4.min(f32x4.max(v, f32x4.splat(-512)), f32x4.splat(512));
        let q = i32x4.add(i32x4.trunc_sat_f32x4_s(v), z);
        q = i32x4.min_s(i32x4.max_s(q, vmin), vmax);
        v128.store32_lane(yr + c, packI8(q, q, q, q), 0);
      }
      for (; c < channels; c++) {
        const s = load<f32>(scales + (<usize>c << 2));
        const z = zero_points ? load<i32>(zero_points + (<usize>c << 2)) : 0;
        store<i8>(yr + c, <i8>quantizeOne(load<f32>(xr + (<usize>c << 2)), s, <f32>(qmin - z), <f32>(qmax - z), z, floorMode));
      }
    }
    return;
  }
  let idx: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = load<f32>(scales + (<usize>c << 2));
      const z = zero_points ? load<i32>(zero_points + (<usize>c << 2)) : 0;
      if (floorMode) quantizeRun(x + (idx << 2), y + idx, inner, s, z, qmin, qmax, true);
      else quantizeRun(x + (idx << 2), y + idx, inner, s, z, qmin, qmax, false);
      idx += <usize>inner;
    }
  }
}

// @ts-ignore: decorator
@inline function dequantizeRun(q: usize, y: usize, n: i32, scale: f32, zp: i32): void {
  const vs = f32x4.splat(scale);
  const vz = i32x4.splat(zp);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const b = v128.load(q + i);
    const lo = i16x8.extend_low_i8x16_s(b);
    const hi = i16x8.extend_high_i8x16_s(b);
    const p = y + (<usize>i << 2);
    v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(i32x4.extend_low_i16x8_s(lo), vz)), vs));
    v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(i32x4.extend_high_i16x8_s(lo), vz)), vs), 16);
    v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(i32x4.extend_low_i16x8_s(hi), vz)), vs), 32);
    v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(i32x4.extend_high_i16x8_s(hi), vz)), vs), 48);
  }
  for (; i < n; i++) {
    store<f32>(y + (<usize>i << 2), <f32>(<i32>load<i8>(q + i) - zp) * scale);
  }
}

export function dequantize_i8_f32__simd(q: usize, y: usize, n: i32, scale: f32, zero_point: i32): void {
  assert(n >= 0);
  dequantizeRun(q, y, n, scale, zero_point);
}

export function dequantize_i8_f32_pc__simd(
  q: usize, y: usize, outer: i32, channels: i32, inner: i32, scales: usize, zero_points: usize,
): void {
  assert(outer >= 0 && channels >= 0 && inner >= 0);
  let idx: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = load<f32>(scales + (<usize>c << 2));
      const z = zero_points ? load<i32>(zero_points + (<usize>c << 2)) : 0;
      dequantizeRun(q + idx, y + (idx << 2), inner, s, z);
      idx += <usize>inner;
    }
  }
}

// @ts-ignore: decorator
@inline function fakeQuantRun(
  x: usize, y: usize, mask: usize, n: i32, scale: f32, zp: i32, qmin: i32, qmax: i32, floorMode: bool,
): void {
  const lo = <f32>(qmin - zp);
  const hi = <f32>(qmax - zp);
  const vs = f32x4.splat(scale);
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = x + (<usize>i << 2);
    let v = f32x4.div(v128.load(p), vs);
    v = floorMode ? f32x4.floor(v) : f32x4.nearest(v);
    // NaN → 0: v == v is false only for NaN lanes.
    v = v128.bitselect(v, zero, f32x4.eq(v, v));
    const c = f32x4.min(f32x4.max(v, vlo), vhi);
    v128.store(y + (<usize>i << 2), f32x4.mul(c, vs));
    if (mask) {
      const inRange = v128.and(f32x4.ge(v, vlo), f32x4.le(v, vhi)); // all-ones lanes where passing
      const m32 = i32x4.shr_u(inRange, 31); // 1 or 0 per lane
      const m8 = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(m32, m32), i16x8.narrow_i32x4_u(m32, m32));
      v128.store32_lane(mask + i, m8, 0);
    }
  }
  for (; i < n; i++) {
    let v = load<f32>(x + (<usize>i << 2)) / scale;
    v = floorMode ? f32.floor(v) : f32.nearest(v);
    if (v != v) v = 0;
    store<f32>(y + (<usize>i << 2), f32.min(f32.max(v, lo), hi) * scale);
    if (mask) store<u8>(mask + i, v >= lo && v <= hi ? 1 : 0);
  }
}

export function fake_quant_f32__simd(
  x: usize, y: usize, mask: usize, n: i32, scale: f32, zero_point: i32, qmin: i32, qmax: i32, rounding: i32,
): void {
  assert(n >= 0 && qmin <= qmax && scale > 0);
  if (rounding == 1) fakeQuantRun(x, y, mask, n, scale, zero_point, qmin, qmax, true);
  else fakeQuantRun(x, y, mask, n, scale, zero_point, qmin, qmax, false);
}

// Exact rescale of 4 lanes: round_half_even(acc·M / 2^shift) for shift ≥ 31, i.e.
// (p + 2^(S−1) − 1 + ((p >> S) & 1)) >> S with p = acc·M in i64. x64 has no 64-bit arithmetic
// right shift below AVX-512 (V8 emulates i64x2.shr_s with a long sequence), so the shift is done
// on the high dwords: for S ≥ 32, p >> S = (high dword of p) >> (S − 32), because arithmetic
// shifts compose. A shift of 31 becomes 32 by doubling p first (|2p| < 2^63, no overflow).
// The rescaled value fits in i32: |p / 2^S| < 2^31.
// Arguments: pre = 1 when shift = 31 else 0; s2 = max(shift, 32) − 32; bias = 2^(S−1) − 1 in i64.
// @ts-ignore: decorator
@inline function rescale4(acc: v128, m: v128, pre: i32, s2: i32, bias: v128, one: v128): v128 {
  let lo = i64x2.shl(i64x2.extmul_low_i32x4_s(acc, m), pre);
  let hi = i64x2.shl(i64x2.extmul_high_i32x4_s(acc, m), pre);
  const odd = v128.and(i32x4.shr_s(i32x4.shuffle(lo, hi, 1, 3, 5, 7), s2), one);
  lo = i64x2.add(i64x2.add(lo, bias), i64x2.extend_low_i32x4_u(odd));
  hi = i64x2.add(i64x2.add(hi, bias), i64x2.extend_high_i32x4_u(odd));
  return i32x4.shr_s(i32x4.shuffle(lo, hi, 1, 3, 5, 7), s2);
}

// @ts-ignore: decorator
@inline function rescaleOne(acc: i32, mult: i32, shift: i32, zp: i32, qmin: i32, qmax: i32): i32 {
  const p = <i64>acc * <i64>mult;
  const r = (p + ((<i64>1 << (shift - 1)) - 1) + ((p >> shift) & 1)) >> shift;
  const q = r + <i64>zp;
  return <i32>(q < <i64>qmin ? <i64>qmin : q > <i64>qmax ? <i64>qmax : q);
}

// Clamp to [qmin − Z, qmax − Z] before adding Z, so that adding Z cannot wrap around.
// @ts-ignore: decorator
@inline function clampAddZp(r: v128, zp: v128, lo: v128, hi: v128): v128 {
  return i32x4.add(i32x4.min_s(i32x4.max_s(r, lo), hi), zp);
}

export function requantize_i32_i8__simd(
  acc: usize, y: usize, n: i32, mult: i32, shift: i32, zero_point: i32, qmin: i32, qmax: i32,
): void {
  assert(n >= 0 && mult >= 0 && shift >= 1 && shift <= 62 && qmin <= qmax);
  const m = i32x4.splat(mult);
  const pre = shift == 31 ? 1 : 0;
  const s2 = shift + pre - 32;
  const bias = i64x2.splat((<i64>1 << (shift + pre - 1)) - 1);
  const one = i32x4.splat(1);
  const vz = i32x4.splat(zero_point);
  const vmin = i32x4.splat(qmin - zero_point);
  const vmax = i32x4.splat(qmax - zero_point);
  let i = 0;
  if (shift >= 31) {
    // With shift ≥ 31 every rescaled value fits in i32 (|acc·M| < 2^62), so lanes can be narrowed
    // before the zero point and clamp.
    for (; i + 16 <= n; i += 16) {
      const p = acc + (<usize>i << 2);
      const a = clampAddZp(rescale4(v128.load(p), m, pre, s2, bias, one), vz, vmin, vmax);
      const b = clampAddZp(rescale4(v128.load(p, 16), m, pre, s2, bias, one), vz, vmin, vmax);
      const c = clampAddZp(rescale4(v128.load(p, 32), m, pre, s2, bias, one), vz, vmin, vmax);
      const d = clampAddZp(rescale4(v128.load(p, 48), m, pre, s2, bias, one), vz, vmin, vmax);
      v128.store(y + i, packI8(a, b, c, d));
    }
  }
  for (; i < n; i++) {
    store<i8>(y + i, <i8>rescaleOne(load<i32>(acc + (<usize>i << 2)), mult, shift, zero_point, qmin, qmax));
  }
}

export function requantize_i32_i8_pc__simd(
  acc: usize, y: usize, rows: i32, channels: i32, mults: usize, shift: i32, zero_point: i32, qmin: i32, qmax: i32,
): void {
  assert(rows >= 0 && channels >= 0 && shift >= 1 && shift <= 62 && qmin <= qmax);
  const pre = shift == 31 ? 1 : 0;
  const s2 = shift + pre - 32;
  const bias = i64x2.splat((<i64>1 << (shift + pre - 1)) - 1);
  const one = i32x4.splat(1);
  const vz = i32x4.splat(zero_point);
  const vmin = i32x4.splat(qmin - zero_point);
  const vmax = i32x4.splat(qmax - zero_point);
  for (let r = 0; r < rows; r++) {
    const ar = acc + (<usize>(r * channels) << 2);
    const yr = y + <usize>(r * channels);
    let c = 0;
    if (shift >= 31) {
      for (; c + 4 <= channels; c += 4) {
        const m = v128.load(mults + (<usize>c << 2));
        const q = clampAddZp(rescale4(v128.load(ar + (<usize>c << 2)), m, pre, s2, bias, one), vz, vmin, vmax);
        v128.store32_lane(yr + c, packI8(q, q, q, q), 0);
      }
    }
    for (; c < channels; c++) {
      const m = load<i32>(mults + (<usize>c << 2));
      store<i8>(yr + c, <i8>rescaleOne(load<i32>(ar + (<usize>c << 2)), m, shift, zero_point, qmin, qmax));
    }
  }
}
