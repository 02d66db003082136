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

/**
 * A sum of `terms` f32 products (or plain values) accumulated in any order against its exact value:
 * |ref − opt| ≤ γ_{terms+1}·Σ|term| with γ_n ≈ n·ε/2 (Higham's bound for recursive summation, one
 * more rounding for the product); we allow ε·(terms + 4), twice that plus a few roundings of the
 * operands (e.g. an f32 interpolation weight). `absSum` = the same sum over absolute values (call the
 * f64 twin on |inputs|). Zero when absSum is zero: an output with no terms must be exact.
 */
export function sumF32Tolerance(absSum: number, terms: number): number {
  return absSum * F32_EPS * (Math.max(1, terms) + 4);
}

/**
 * Bilinear interpolation in f32 (two lerps a + (b − a)·w, then one between them) against f64:
 * 14 roundings of at most ε/2·M each (M = max |corner|), bounded by 16·ε·M.
 */
export function bilinearF32Tolerance(maxAbsCorner: number): number {
  return 16 * F32_EPS * maxAbsCorner;
}

/**
 * LayerNorm forward y = x̂·γ + β in f32 against f64, with μ exact (summed in f64) and σ² from short
 * f32 blocks: x̂ is within ~5·ε/2 relative (centring, σ² ≈ 6·ε/2, ρ, products), y adds two
 * roundings: ε·(8·|x̂·γ| + 2·|β|).
 */
export function layerNormF32Tolerance(xhatGammaAbs: number, betaAbs: number): number {
  return F32_EPS * (8 * xhatGammaAbs + 2 * betaAbs);
}

/**
 * LayerNorm backward dx = ρ·(g − mean(g) − x̂·mean(g·x̂)), g = γ·dy, in f32 against f64, with the
 * means from short f32 blocks (≤ 6·ε/2 of mean|·| each) and x̂ within 2·ε/2: 8·ε·ρ·(|g| + mean|g| +
 * |x̂|·mean|g·x̂|).
 */
export function layerNormGradF32Tolerance(
  rstd: number,
  gAbs: number,
  meanAbsG: number,
  xhatAbs: number,
  meanAbsGXhat: number,
): number {
  return 8 * F32_EPS * rstd * (gAbs + meanAbsG + xhatAbs * meanAbsGXhat);
}
