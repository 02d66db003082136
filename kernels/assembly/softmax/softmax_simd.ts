// softmax_simd.ts — row-wise softmax / log-softmax and exp(x − max), WASM SIMD128, 16 elements a step.
//
// softmax_f32:       y[r][j] = e^(x[r][j] − m_r) / Σ_j e^(x[r][j] − m_r),  m_r = max_j x[r][j]
// log_softmax_f32:   y[r][j] = (x[r][j] − m_r) − log Σ_j e^(x[r][j] − m_r)
// exp_minus_max_f32: y[i] = e^(x[i] − max), returns Σ y[i]; y = 0 computes the sum only.
// Layout, in place, special rows (−∞ → 0, all −∞ → zeros / −∞s, NaN or +∞ → NaN row): as in
//   softmax_scalar.ts, whose header is the contract of both files.
// Passes per row: (1) max with f32x4.pmax (one maxps; skips NaN, which then surfaces via the sum),
//   (2) e = exp(x − m) stored to y while 16 partial sums accumulate, (3) y *= 1/Σ while the row is
//   still in cache. log_softmax sums without storing and writes (x − m) − log Σ in (3).
// Reads up to 12 bytes past the last element of each x row (a full vector for the 1–3 trailing
//   elements, masked: −∞ for the max, 0 for the sum); the arena's 16 tail bytes cover it. Writes only
//   the row elements (trailing ones with 32/64-bit lane stores).
// exp: exp_poly.ts's method lane by lane, the same IEEE operations as its scalar expNonPos, so every
//   e^t here equals the scalar one bit for bit; ≤ 2e-7 relative on [−87.33, 0].
// The passes live in softmax_rows.ts (shared with softmax_relaxed.ts).
// Twin: kernels/ref/softmax.ts — abs or rel ≤ 1e-6 against its f64 results.
import { expMinusMax, logSoftmaxRows, SeparateMulAdd, softmaxRows } from './softmax_rows';

export function softmax_f32__simd(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  softmaxRows<SeparateMulAdd>(x, y, rows, cols, ldx, ldy);
}

export function log_softmax_f32__simd(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  logSoftmaxRows<SeparateMulAdd>(x, y, rows, cols, ldx, ldy);
}

export function exp_minus_max_f32__simd(x: usize, y: usize, n: i32, max: f32): f32 {
  return expMinusMax<SeparateMulAdd>(x, y, n, max);
}
