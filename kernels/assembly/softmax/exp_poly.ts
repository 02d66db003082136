// exp_poly.ts — the exp(t), t ≤ 0, that every softmax kernel uses (scalar form here; the SIMD form in
// softmax_simd.ts performs the same IEEE operations lane by lane, so both give the same bits).
// Not an entry point: nothing here is exported from the .wasm.
//
// Method (rr2-p6): t = n·ln2 + r with n = round(t·log2e) and |r| ≤ ln2/2 (+ rounding slack).
//   n is rounded by adding MAGIC = 1.5·2^23 + 127: in [2^23, 2^24) the f32 ulp is 1, so the add rounds
//   t·log2e to an integer (ties-to-even) and leaves n + 127 in the low mantissa bits; shifting the bits
//   left by 23 drops the 1.5·2^23 part and yields the bits of 2^n directly (exponent field n + 127).
//   r = t − n·LN2_HI − n·LN2_LO (Cody–Waite): LN2_HI has 15 significant bits, so n·LN2_HI is exact for
//   |n| ≤ 2^9 and t − n·LN2_HI is exact (Sterbenz); only the LN2_LO step rounds.
//   e^r ≈ 1 + r·(1 + r·(C2 + r·(C3 + r·(C4 + r·(C5 + r·C6))))), a minimax fit of the relative error on
//   [−ln2/2, ln2/2] (fit error 2.0e-9); e^t = 2^n·e^r evaluated as s + (r·s)·p.
// Error: ≤ 2e-7 relative over [−87.33, 0] (measured 1.1e-7 on a dense sweep in
//   kernels/test/softmax.test.ts; the f32 roundings of the unfused mul/add dominate, not the fit).
// Underflow: t < CUTOFF (−87.33654, where e^t would be subnormal) gives exactly +0, and so do −∞
//   and every very negative t, whose 2^n bits would wrap. NaN stays NaN. t > 0 is outside the
//   contract: correct up to t ≈ 88, garbage beyond (softmax never passes t > 0).

// @ts-ignore: decorator
@inline export const LOG2E: f32 = reinterpret<f32>(0x3fb8aa3b); // 1.44269502
// @ts-ignore: decorator
@inline export const MAGIC: f32 = 12583039.0; // 0x1.8000FEp23 = 1.5·2^23 + 127
// @ts-ignore: decorator
@inline export const MINUS_LN2_HI: f32 = reinterpret<f32>(0xbf317200); // −0x1.62E400p-1
// @ts-ignore: decorator
@inline export const MINUS_LN2_LO: f32 = reinterpret<f32>(0xb5bfbe8e); // −0x1.7F7D1Cp-20
// Smallest t whose e^t is a normal f32 (next f32 above −126·ln2).
// @ts-ignore: decorator
@inline export const CUTOFF: f32 = reinterpret<f32>(0xc2aeac4f); // −87.33654
// @ts-ignore: decorator
@inline export const C2: f32 = reinterpret<f32>(0x3efffffe); // 0.49999994
// @ts-ignore: decorator
@inline export const C3: f32 = reinterpret<f32>(0x3e2aaa0d); // 0.16666432
// @ts-ignore: decorator
@inline export const C4: f32 = reinterpret<f32>(0x3d2aac11); // 0.041668002
// @ts-ignore: decorator
@inline export const C5: f32 = reinterpret<f32>(0x3c0933c1); // 0.0083741555
// @ts-ignore: decorator
@inline export const C6: f32 = reinterpret<f32>(0x3ab5739b); // 0.0013843657

/** e^t for t ≤ 0 (see the header); same bits as the SIMD lanes. */
// @ts-ignore: decorator
@inline export function expNonPos(t: f32): f32 {
  let n = t * LOG2E + MAGIC;
  const s = reinterpret<f32>(reinterpret<i32>(n) << 23);
  n = n - MAGIC;
  let r = n * MINUS_LN2_HI + t;
  r = n * MINUS_LN2_LO + r;
  let p = C6 * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = p * r + 1.0;
  r = r * s;
  const f = r * p + s;
  return t < CUTOFF ? 0 : f;
}
