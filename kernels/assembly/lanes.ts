// lanes.ts — partial-vector helpers for the f32 SIMD kernels (not an entry point). A row whose
// length is not a multiple of 4 ends in a vector of which only the first `rem` lanes (1–3) belong to
// it: loads may read the whole vector (inputs are padded by 16 bytes), stores must write those
// lanes only.

// Store lanes 0..rem−1 of v (rem = 1..3) and nothing else.
// @ts-ignore: decorator
@inline export function storeLanes(p: usize, v: v128, rem: i32): void {
  if (rem & 2) {
    v128.store64_lane(p, v, 0);
    if (rem & 1) v128.store32_lane(p, v, 2, 8);
  } else {
    v128.store32_lane(p, v, 0);
  }
}

// All-ones in lanes 0..rem−1 (rem = 0..4), zero in the others.
// @ts-ignore: decorator
@inline export function laneMask(rem: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(rem));
}

// Store v to p, all 4 lanes or (rem < 4) the first rem.
// @ts-ignore: decorator
@inline export function storeUpTo4(p: usize, v: v128, rem: i32): void {
  if (rem >= 4) v128.store(p, v);
  else storeLanes(p, v, rem);
}
