// reduce_f32_simd.ts — sum and max over the middle axis, WASM SIMD128.
// Same exports, layout and special values as reduce_f32_scalar.ts, whose header is the contract.
//
// inner = 1 (last-axis sums, contiguous rows of mid): 16 f32 lanes (4 vectors) take at most 16
//   additions each per block of 256 elements; the block is folded to one vector (2 more additions) and
//   added into an f64 pair. inner > 1 (column sums): 16 columns (4 vectors, then 4, then the last 1–3)
//   walk down mid with stride inner; each lane adds at most 16 rows in f32, then the block goes into
//   8 f64 pairs.
// Error of a sum: every term passes through at most 18 f32 roundings before it reaches f64, where the
//   rest is exact to 2^−53 per addition, and the result is rounded to f32 once:
//   |sum − Σx| ≤ 18·u·Σ|x| + u·|Σx| (+ mid·2^−53·Σ|x|), u = 2^−24, whatever mid is. A plain f32 running
//   sum would be off by up to (mid − 1)·u·Σ|x|.
// max is exact (pmax = one maxps, skips NaN like the TS loop's x > acc).
// Reads up to 12 bytes past the last element of x (a trailing partial vector, masked); writes only
//   out's elements.
// Twin: kernels/ref/reduce_f32.ts.
import { laneMask, rowMaxF32, storeLanes } from '../lanes';
import { checkReduce } from './reduce_checks';

// @ts-ignore: decorator
@inline const BLOCK_ROWS = 16;
// Elements per f32 block of a contiguous row (16 lanes × 16 additions).
// @ts-ignore: decorator
@inline const BLOCK = 256;

// The 4 lanes of v as f64, pairwise: lanes (0, 1) and (2, 3) promoted exactly.
// @ts-ignore: decorator
@inline function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}
// Two f64 pairs rounded to one f32 vector (lanes lo0, lo1, hi0, hi1).
// @ts-ignore: decorator
@inline function narrow(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

// Σ of a contiguous row of n floats.
// @ts-ignore: decorator
@inline function rowSum(x: usize, n: i32): f32 {
  let acc = f64x2.splat(0);
  let i = 0;
  while (i + 16 <= n) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    const end = min(n, i + BLOCK);
    for (; i + 16 <= end; i += 16) {
      const p = x + (<usize>i << 2);
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
    }
    const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
    acc = f64x2.add(acc, f64x2.add(lo64(s), hi64(s)));
  }
  let s = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) s = f32x4.add(s, v128.load(x + (<usize>i << 2)));
  // Lanes past the row hold whatever follows it (even NaN): zero them before they reach the sum.
  if (i < n) s = f32x4.add(s, v128.and(v128.load(x + (<usize>i << 2)), laneMask(n - i)));
  acc = f64x2.add(acc, f64x2.add(lo64(s), hi64(s)));
  return <f32>(f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
}

// Column sums of 16 columns starting at x (stride bytes between rows), mid rows, into out[0..16).
// @ts-ignore: decorator
@inline function sum16(x: usize, stride: usize, mid: i32, out: usize): void {
  let a0 = f64x2.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let a4 = a0;
  let a5 = a0;
  let a6 = a0;
  let a7 = a0;
  let p = x;
  let m = 0;
  while (m < mid) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    const end = min(mid, m + BLOCK_ROWS);
    for (; m < end; m++, p += stride) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
    }
    a0 = f64x2.add(a0, lo64(s0));
    a1 = f64x2.add(a1, hi64(s0));
    a2 = f64x2.add(a2, lo64(s1));
    a3 = f64x2.add(a3, hi64(s1));
    a4 = f64x2.add(a4, lo64(s2));
    a5 = f64x2.add(a5, hi64(s2));
    a6 = f64x2.add(a6, lo64(s3));
    a7 = f64x2.add(a7, hi64(s3));
  }
  v128.store(out, narrow(a0, a1));
  v128.store(out, narrow(a2, a3), 16);
  v128.store(out, narrow(a4, a5), 32);
  v128.store(out, narrow(a6, a7), 48);
}

// Column sums of 4 columns (lanes ≥ cols are loaded but not stored; cols = 1..4).
// @ts-ignore: decorator
@inline function sum4(x: usize, stride: usize, mid: i32, out: usize, cols: i32): void {
  let a0 = f64x2.splat(0);
  let a1 = a0;
  let p = x;
  let m = 0;
  while (m < mid) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    const end = min(mid, m + BLOCK_ROWS);
    // Two rows a step into two partial vectors (8 additions each per block).
    for (; m + 2 <= end; m += 2, p += stride << 1) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p + stride));
    }
    if (m < end) {
      s0 = f32x4.add(s0, v128.load(p));
      m++;
      p += stride;
    }
    s0 = f32x4.add(s0, s1);
    a0 = f64x2.add(a0, lo64(s0));
    a1 = f64x2.add(a1, hi64(s0));
  }
  const r = narrow(a0, a1);
  if (cols == 4) v128.store(out, r);
  else storeLanes(out, r, cols);
}

// Column maxima of 16 columns, rows in order (the TS loop's order: same result, ±0 included).
// @ts-ignore: decorator
@inline function max16(x: usize, stride: usize, mid: i32, out: usize): void {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf;
  let m1 = ninf;
  let m2 = ninf;
  let m3 = ninf;
  let p = x;
  for (let m = 0; m < mid; m++, p += stride) {
    m0 = f32x4.pmax(m0, v128.load(p));
    m1 = f32x4.pmax(m1, v128.load(p, 16));
    m2 = f32x4.pmax(m2, v128.load(p, 32));
    m3 = f32x4.pmax(m3, v128.load(p, 48));
  }
  v128.store(out, m0);
  v128.store(out, m1, 16);
  v128.store(out, m2, 32);
  v128.store(out, m3, 48);
}

// @ts-ignore: decorator
@inline function max4(x: usize, stride: usize, mid: i32, out: usize, cols: i32): void {
  let m0 = f32x4.splat(-Infinity);
  let p = x;
  for (let m = 0; m < mid; m++, p += stride) m0 = f32x4.pmax(m0, v128.load(p));
  if (cols == 4) v128.store(out, m0);
  else storeLanes(out, m0, cols);
}

// @ts-ignore: decorator
@inline function reduce(isMax: bool, x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  checkReduce(x, out, outer, mid, inner);
  const stride = <usize>inner << 2;
  const xBytes = <usize>mid * stride;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * xBytes;
    const oo = out + <usize>o * stride;
    if (inner == 1) {
      store<f32>(oo, isMax ? rowMaxF32(xo, mid) : rowSum(xo, mid));
      continue;
    }
    let i = 0;
    for (; i + 16 <= inner; i += 16) {
      const xi = xo + (<usize>i << 2);
      const oi = oo + (<usize>i << 2);
      if (isMax) max16(xi, stride, mid, oi);
      else sum16(xi, stride, mid, oi);
    }
    for (; i < inner; i += 4) {
      const cols = min(4, inner - i);
      const xi = xo + (<usize>i << 2);
      const oi = oo + (<usize>i << 2);
      if (isMax) max4(xi, stride, mid, oi, cols);
      else sum4(xi, stride, mid, oi, cols);
    }
  }
}

export function reduce_sum_f32__simd(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  reduce(false, x, out, outer, mid, inner);
}

export function reduce_max_f32__simd(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  reduce(true, x, out, outer, mid, inner);
}
