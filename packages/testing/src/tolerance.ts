// tolerance.ts — every numeric tolerance in the test suite comes from here, as a formula with its
// reason, never as a magic number at the call site (ruy / gemmlowp practice).

/** Machine epsilon of f32 (2^−23). */
export const F32_EPS = 2 ** -23;

/**
 * f32 GEMM: |ref − opt| ≤ max|ref|·ε·64·√k, floored at 4ε. A dot product of length k summed in a
 * different order differs by O(√k·ε) typically, O(k·ε) at worst; 64√k covers blocked summation.
 */
export function gemmF32Tolerance(maxAbsRef: number, k: number): number {
  return Math.max(4 * F32_EPS, maxAbsRef * F32_EPS * 64 * Math.sqrt(Math.max(1, k)));
}

/** Mean |ref − opt| over a GEMM output must stay within this (systematic bias shows here). */
export function gemmF32MeanTolerance(maxAbsRef: number, k: number): number {
  return gemmF32Tolerance(maxAbsRef, k) / 4;
}

/** Softmax against an f64 reference: absolute and relative 1e-6 (MLAS). */
export const SOFTMAX_ABS_TOL = 1e-6;
export const SOFTMAX_REL_TOL = 1e-6;

export function softmaxClose(ref: number, opt: number): boolean {
  const d = Math.abs(ref - opt);
  return d <= SOFTMAX_ABS_TOL || d <= SOFTMAX_REL_TOL * Math.abs(ref);
}

/** Central finite differences in f64: step and agreement bound for gradient checks. */
export const FD_STEP = 1e-6;
export function gradClose(analytic: number, numeric: number, scale = 1): boolean {
  return Math.abs(analytic - numeric) <= 1e-5 * Math.max(1, scale, Math.abs(analytic), Math.abs(numeric));
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}
