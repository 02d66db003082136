// softmax_relaxed.ts — softmax_simd.ts with its exp on f32x4.relaxed_madd (FMA), for the relaxed build.
//
// Same exports (…__relaxed), arguments, passes, special rows, memory reads and writes as
// softmax_simd.ts (see its header); only exp4 differs. The exp pass is ~85% of a softmax and, in
// simd128, ~23 vector operations per 4 elements (each multiply and add separate); with a fused
// multiply-add the range reduction, the Cody–Waite steps, the degree-6 Horner polynomial and the
// final s + (r·s)·p take 13, so the row costs about a third less.
// Rounding: relaxed_madd may fuse (one rounding; V8 on x64 with FMA3 emits vfmadd) or not (two, then
//   every e^t is the simd128 one bit for bit). Fused, each step rounds once instead of twice, so the
//   error stays within the simd128 bound (≤ 2e-7 relative on [−87.33, 0]); the n = round(t·log2e)
//   trick still works (the fused t·log2e + MAGIC rounds once, to an integer), and t − n·ln2_hi is
//   exact either way. Results differ from the scalar and simd128 variants by rounding only.
// The passes live in softmax_rows.ts, instantiated here with FusedMulAdd.
// Twin: kernels/ref/softmax.ts — abs or rel ≤ 1e-6 against its f64 results.
import { expMinusMax, logSoftmaxRows, FusedMulAdd, softmaxRows } from './softmax_rows';

export function softmax_f32__relaxed(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  softmaxRows<FusedMulAdd>(x, y, rows, cols, ldx, ldy);
}

export function log_softmax_f32__relaxed(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  logSoftmaxRows<FusedMulAdd>(x, y, rows, cols, ldx, ldy);
}

export function exp_minus_max_f32__relaxed(x: usize, y: usize, n: i32, max: f32): f32 {
  return expMinusMax<FusedMulAdd>(x, y, n, max);
}
