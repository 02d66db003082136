// conv_geom.ts — NHWC convolution geometry shared by the dwconv_f32 and im2col_f32 families (not an
// entry point): the debug-build preconditions, and the ranges of outputs whose taps all fall inside
// the image, which let the kernels drop per-tap bounds checks.
//
// Geometry (ConvGeom of packages/autograd): input [batch, inH, inW, c], output [batch, outH, outW, ·],
// tap (ky, kx) of output (oy, ox) reads input row oy·stride − pad + ky·dilation and column
// ox·stride − pad + kx·dilation; a tap outside the input contributes nothing (zero padding). outH and
// outW are taken as given (any value ≥ 0), exactly as the reference loops do.

// floor(a / b) for b > 0 and any sign of a (i32 division truncates toward zero).
// @ts-ignore: decorator
@inline export function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return a < 0 && q * b != a ? q - 1 : q;
}

// ceil(a / b) for b > 0 and any sign of a.
// @ts-ignore: decorator
@inline export function ceilDiv(a: i32, b: i32): i32 {
  return -floorDiv(-a, b);
}

// First output index o ≥ 0 whose tap t reads inside the input: o·s − p + t·d ≥ 0.
// @ts-ignore: decorator
@inline export function tapLo(t: i32, s: i32, p: i32, d: i32): i32 {
  return max(0, ceilDiv(p - t * d, s));
}

// One past the last output index o < out whose tap t reads inside: o·s − p + t·d ≤ in − 1.
// May be ≤ tapLo (no output uses this tap).
// @ts-ignore: decorator
@inline export function tapHi(t: i32, s: i32, p: i32, d: i32, inSize: i32, outSize: i32): i32 {
  return min(outSize, floorDiv(inSize - 1 + p - t * d, s) + 1);
}

// Bytes of `n` f32 as u64 (extents are checked in u64 so that a huge product cannot wrap and pass).
// @ts-ignore: decorator
@inline export function f32Bytes(a: i32, b: i32, c: i32, d: i32): u64 {
  return (<u64>a * <u64>b * <u64>c * <u64>d) << 2;
}

// [p, p + n) inside the memory.
// @ts-ignore: decorator
@inline export function inMemory(p: usize, n: u64): bool {
  return <u64>p + n <= (<u64>memory.size() << 16);
}

// [a, a + na) and [b, b + nb) share no byte (empty ranges never overlap).
// @ts-ignore: decorator
@inline export function disjoint(a: usize, na: u64, b: usize, nb: u64): bool {
  return na == 0 || nb == 0 || <u64>a + na <= <u64>b || <u64>b + nb <= <u64>a;
}

// The scalar part of every conv-geometry precondition: sizes ≥ 0, kernel, stride, dilation ≥ 1,
// pad ≥ 0. Checked only in builds with assertions (debug).
// @ts-ignore: decorator
@inline export function checkGeom(
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  if (ASC_NO_ASSERT) return;
  assert(batch >= 0 && inH >= 0 && inW >= 0 && c >= 0 && outH >= 0 && outW >= 0);
  assert(kH >= 1 && kW >= 1 && stride >= 1 && dilation >= 1 && pad >= 0);
  // Keeps every tap offset (k−1)·d + pad and every row/column index comfortably inside i32.
  assert(<i64>(kH - 1) * dilation + pad < 0x40000000 && <i64>(kW - 1) * dilation + pad < 0x40000000);
  assert(<i64>outH * stride < 0x40000000 && <i64>outW * stride < 0x40000000);
}

// A buffer precondition: f32-aligned, inside the memory.
// @ts-ignore: decorator
@inline export function checkBuf(p: usize, bytes: u64): void {
  if (ASC_NO_ASSERT) return;
  assert((p & 3) == 0);
  assert(inMemory(p, bytes));
}
