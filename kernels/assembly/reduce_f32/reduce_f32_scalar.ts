// reduce_f32_scalar.ts — sum and max over the middle axis, scalar (hosts without SIMD; also the
// readable statement of what reduce_f32_simd.ts computes).
//
// reduce_sum_f32(x, out, outer, mid, inner): out[o][i] = Σ_{m<mid} x[o][m][i]
// reduce_max_f32(x, out, outer, mid, inner): out[o][i] = max_{m<mid} x[o][m][i]
// x is [outer, mid, inner] and out [outer, inner], contiguous row-major f32. outer = 1 gives column
//   sums of a [mid, inner] matrix (bias gradients); inner = 1 gives last-axis sums. mid = 0 gives 0
//   (sum) and −∞ (max). out must not overlap x (debug builds trap).
// max skips NaN (x > acc is false for NaN, as in the TS loop): a column of only NaN gives −∞. Of
//   equal values the first is kept (so max(−0, +0) is −0) — except in the SIMD inner = 1 path, which
//   compares lanes in another order and may return the other zero.
// sum, here: f64 accumulation in the TS loop's order, so the result is the TS loop's f32 result bit
//   for bit. In reduce_f32_simd.ts: f32 partial sums in blocks, folded into f64; |error| ≤
//   18·u·Σ|x| + u·|Σx|, u = 2^−24, for any mid (see its header).
// Twin: kernels/ref/reduce_f32.ts.
import { checkReduce } from './reduce_checks';

// Four columns at a time (x stride `stride` bytes between m), summed in f64 in the order m = 0, 1, ….
// @ts-ignore: decorator
@inline function sumColumns(x: usize, out: usize, mid: i32, inner: i32): void {
  const stride = <usize>inner << 2;
  let i = 0;
  for (; i + 4 <= inner; i += 4) {
    let s0: f64 = 0;
    let s1: f64 = 0;
    let s2: f64 = 0;
    let s3: f64 = 0;
    let p = x + (<usize>i << 2);
    for (let m = 0; m < mid; m++, p += stride) {
      s0 += <f64>load<f32>(p);
      s1 += <f64>load<f32>(p, 4);
      s2 += <f64>load<f32>(p, 8);
      s3 += <f64>load<f32>(p, 12);
    }
    const q = out + (<usize>i << 2);
    store<f32>(q, <f32>s0);
    store<f32>(q, <f32>s1, 4);
    store<f32>(q, <f32>s2, 8);
    store<f32>(q, <f32>s3, 12);
  }
  for (; i < inner; i++) {
    let s: f64 = 0;
    let p = x + (<usize>i << 2);
    for (let m = 0; m < mid; m++, p += stride) s += <f64>load<f32>(p);
    store<f32>(out + (<usize>i << 2), <f32>s);
  }
}

// @ts-ignore: decorator
@inline function maxColumns(x: usize, out: usize, mid: i32, inner: i32): void {
  const stride = <usize>inner << 2;
  for (let i = 0; i < inner; i++) {
    let acc = -Infinity as f32;
    let p = x + (<usize>i << 2);
    for (let m = 0; m < mid; m++, p += stride) {
      const v = load<f32>(p);
      if (v > acc) acc = v;
    }
    store<f32>(out + (<usize>i << 2), acc);
  }
}

export function reduce_sum_f32__scalar(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  checkReduce(x, out, outer, mid, inner);
  const xBytes = <usize>mid * <usize>inner << 2;
  const oBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) sumColumns(x + <usize>o * xBytes, out + <usize>o * oBytes, mid, inner);
}

export function reduce_max_f32__scalar(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  checkReduce(x, out, outer, mid, inner);
  const xBytes = <usize>mid * <usize>inner << 2;
  const oBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) maxColumns(x + <usize>o * xBytes, out + <usize>o * oBytes, mid, inner);
}
