// elementwise.ts — tolerance formulas of the elementwise f32 kernels (kernels/assembly/unary_f32,
// binary_f32, reduce_f32, adamw_f32) against their f64 twins. Each says which roundings it counts.

/** Unit roundoff of f32 (2^−24): one correctly rounded operation is within u·|result|. */
export const F32_UNIT_ROUNDOFF = 2 ** -24;
const u = F32_UNIT_ROUNDOFF;

/** Spacing of the f32 grid at |v| (2^−149 in the subnormal range); NaN for NaN/±∞. */
export function f32Ulp(v: number): number {
  const a = Math.abs(v);
  if (!Number.isFinite(a)) return Number.NaN;
  if (a < 2 ** -126) return 2 ** -149;
  const e = Math.floor(Math.log2(a));
  // log2 can land one off near powers of two: fix e so that 2^e ≤ a < 2^(e+1).
  const p = 2 ** e > a ? e - 1 : 2 ** (e + 1) <= a ? e + 1 : e;
  return 2 ** (p - 23);
}

/**
 * |got − ref| ≤ ulps·f32Ulp(ref) (ref in f64), or ≤ absFloor; NaN matches NaN and an infinity only
 * itself. `ulps` counts the final rounding too: a correctly rounded result is within 0.5.
 */
export function ulpClose(ref: number, got: number, ulps: number, absFloor = 0): boolean {
  if (Number.isNaN(ref)) return Number.isNaN(got);
  if (!Number.isFinite(ref) || !Number.isFinite(got)) return ref === got;
  const d = Math.abs(got - ref);
  return d <= ulps * f32Ulp(ref) || d <= absFloor;
}

/** erf of the unary_f32 family: absolute error against f64 erf (its GELU's Φ: half of it). */
export const ERF_F32_ABS_TOL = 2e-7;

/**
 * GELU forward x·Φ(x): the kernel's Φ is within ERF_F32_ABS_TOL/2 of the true Φ, so the result is
 * within |x|·1e−7, plus the final rounding (½ ulp) and the rounding of a·Φc inside (½ ulp more).
 */
export function geluF32Tolerance(x: number, ref: number): number {
  return Math.abs(x) * (ERF_F32_ABS_TOL / 2) + f32Ulp(ref);
}

/** GELU backward dy·gelu'(x): gelu' within ERF_F32_ABS_TOL absolute, then one rounding of the product. */
export function geluGradF32Tolerance(dy: number, ref: number): number {
  return Math.abs(dy) * ERF_F32_ABS_TOL + 0.5 * f32Ulp(ref);
}

/**
 * A sum accumulated in blocked f32 lanes and folded into f64 (reduce_f32 SIMD): every term passes
 * through at most 18 f32 roundings, then the result is rounded once — 18·u·Σ|x| + u·|Σx|
 * (+ the f64 part, below 2^−53 per addition). Zero for an empty or all-zero sum: exact there.
 */
export function blockedSumF32Tolerance(absSum: number, sum: number, terms: number): number {
  return 18 * u * absSum + u * Math.abs(sum) + terms * 2 ** -53 * absSum;
}

/**
 * Two roundings (a product, then a sum) with f32 arguments against f64: y = p + q with p = a·b, where
 * a or b was an f32 argument rounded from an f64 number (one more u on |p|): u·(2|p| + |q| + |y|).
 * Covers axpy (p = α·x, q = y) and affine (p = x·scale, q = shift, with shift rounded too: + u·|q|).
 * A rounding into the subnormal range is off by up to 2^−150 absolute instead: 2^−148 covers two.
 */
export function mulAddF32Tolerance(p: number, q: number, y: number): number {
  return u * (2 * Math.abs(p) + 2 * Math.abs(q) + Math.abs(y)) + 2 ** -148;
}

/**
 * AdamW step in f32 against the f64 loop (same f32 inputs). m' = β1·m + (1−β1)·g: two products and a
 * sum, with 1 − β1 and β1 rounded from f64 — 3u·(|β1·m| + |(1−β1)·g|) + u·|m'|; v' the same with one
 * more product (4u). The update w = lr·m̂/(√v̂ + ε): step, step·m', 1/bc2, v'·(1/bc2), √ (halves), + ε,
 * division — 8u·|w|, plus what the error of m' (and half that of v', relative) carries into it; then
 * p·decay and the subtraction: 2u·|p·decay| + u·|p'|.
 */
export function adamwF32Tolerances(t: {
  beta1M: number;
  oneMinusBeta1G: number;
  mNew: number;
  beta2V: number;
  oneMinusBeta2G2: number;
  vNew: number;
  /** lr/bc1 divided by the denominator √v̂ + ε (how an error in m' reaches p). */
  stepOverDen: number;
  update: number;
  pDecay: number;
  pNew: number;
}): { m: number; v: number; p: number } {
  const m = 3 * u * (Math.abs(t.beta1M) + Math.abs(t.oneMinusBeta1G)) + u * Math.abs(t.mNew);
  const v = 4 * u * (Math.abs(t.beta2V) + Math.abs(t.oneMinusBeta2G2)) + u * Math.abs(t.vNew);
  const vRel = t.vNew > 0 ? v / t.vNew : 0;
  const p =
    8 * u * Math.abs(t.update) +
    Math.abs(t.stepOverDen) * m +
    Math.abs(t.update) * vRel +
    2 * u * Math.abs(t.pDecay) +
    u * Math.abs(t.pNew);
  return { m, v, p };
}
