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

// The 4 lanes of v as f64, summed pairwise into 2 lanes (exact: f32 + f32 fits an f64).
// @ts-ignore: decorator
@inline export function widenSum(v: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
}

// Largest of a contiguous row of n floats (−∞ for n = 0); NaNs are skipped, as a scalar
// `if (x > m) m = x` loop skips them: pmax(acc, v) = acc < v ? v : acc never takes a NaN v, so the
// accumulators never become NaN. Reads up to 12 bytes past the row (masked to −∞).
// @ts-ignore: decorator
@inline export function rowMaxF32(x: usize, n: i32): f32 {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf;
  let m1 = ninf;
  let m2 = ninf;
  let m3 = ninf;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    m0 = f32x4.pmax(m0, v128.load(p));
    m1 = f32x4.pmax(m1, v128.load(p, 16));
    m2 = f32x4.pmax(m2, v128.load(p, 32));
    m3 = f32x4.pmax(m3, v128.load(p, 48));
  }
  for (; i + 4 <= n; i += 4) m0 = f32x4.pmax(m0, v128.load(x + (<usize>i << 2)));
  if (i < n) m1 = f32x4.pmax(m1, v128.bitselect(v128.load(x + (<usize>i << 2)), ninf, laneMask(n - i)));
  m0 = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
  m0 = f32x4.pmax(m0, i32x4.shuffle(m0, m0, 2, 3, 0, 1));
  m0 = f32x4.pmax(m0, i32x4.shuffle(m0, m0, 1, 0, 3, 2));
  return f32x4.extract_lane(m0, 0);
}
