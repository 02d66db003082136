// round.ts — the one rounding rule of edgeseg, written out because JS cannot be trusted with it:
// `Math.round` rounds half toward +∞ (Math.round(-2.5) === -2), while the kernels (f32x4.nearest,
// ONNX QuantizeLinear) round half to even. NaN rounds to 0 so that it quantizes to the zero point.

/**
 * Round to the nearest integer, ties to even; NaN → 0; ±∞ stay ±∞. Like IEEE roundTiesToEven
 * (f32.nearest) the sign of a zero result follows x: roundHalfEven(-0.3) is −0.
 */
export function roundHalfEven(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** floor with the same NaN → 0 rule (the paper's Q(x) = clamp(⌊x/S⌋ + Z, …) variant). */
export function floorNaN0(x: number): number {
  return Number.isNaN(x) ? 0 : Math.floor(x);
}

export const ROUND_NEAREST_EVEN = 0;
export const ROUND_FLOOR = 1;
export type RoundingMode = typeof ROUND_NEAREST_EVEN | typeof ROUND_FLOOR;

export function roundBy(mode: RoundingMode, x: number): number {
  return mode === ROUND_FLOOR ? floorNaN0(x) : roundHalfEven(x);
}

/** Clamp to [lo, hi] with WASM f32.min/max semantics (which JS Math.min/max share: NaN wins, −0 < +0). */
export function clampInt(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/**
 * Exact fixed-point rescale: round_half_even(acc · mult / 2^shift) for an int32 `acc`, an int32
 * `mult` ≥ 0 and 1 ≤ shift ≤ 62, computed in BigInt so that no step is approximate.
 * The kernels compute the same in i64: (p + 2^(shift−1) − 1 + ((p >> shift) & 1)) >> shift.
 */
export function rescaleHalfEven(acc: number, mult: number, shift: number): number {
  const p = BigInt(acc) * BigInt(mult);
  const s = BigInt(shift);
  const q = p >> s; // floor division (BigInt >> is arithmetic)
  const rem = p - (q << s);
  const half = 1n << (s - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) return Number(q + 1n);
  return Number(q);
}
