// softmax_rows.ts — the passes of the SIMD softmax kernels (not an entry point), shared by
// softmax_simd.ts (simd128) and softmax_relaxed.ts (relaxed SIMD), which differ only in exp4's
// multiply-adds: M = SeparateMulAdd (f32x4.mul then add) or FusedMulAdd (f32x4.relaxed_madd).
// sizeof<M>() is decided at compile time, so the simd128 builds hold no relaxed instruction
// (tools/wasm-contract checks that). Method, special rows, reads and writes: softmax_simd.ts.
import {
  C2, C3, C4, C5, C6, CUTOFF, LOG2E, MAGIC, MINUS_LN2_HI, MINUS_LN2_LO,
} from './exp_poly';
import { laneMask, rowMaxF32, storeLanes, widenSum } from '../lanes';
import { checkRows } from './rows';

/** exp4's multiply-adds as two operations (simd128). */
export type SeparateMulAdd = f32;
/** exp4's multiply-adds as f32x4.relaxed_madd (fused where the engine fuses; relaxed builds only). */
export type FusedMulAdd = f64;

// a·b + c: two operations (simd128, the same IEEE steps as the scalar expNonPos), or one
// f32x4.relaxed_madd (one rounding where the engine fuses; see softmax_relaxed.ts).
// @ts-ignore: decorator
@inline function madd<M>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<M>() == 8) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// e^t for 4 lanes t ≤ 0 (see exp_poly.ts for the method and its bounds).
// @ts-ignore: decorator
@inline function exp4<M>(t: v128): v128 {
  let n = madd<M>(t, f32x4.splat(LOG2E), f32x4.splat(MAGIC));
  const s = i32x4.shl(n, 23); // bits of 2^n
  n = f32x4.sub(n, f32x4.splat(MAGIC));
  let r = madd<M>(n, f32x4.splat(MINUS_LN2_HI), t);
  r = madd<M>(n, f32x4.splat(MINUS_LN2_LO), r);
  let p = madd<M>(f32x4.splat(C6), r, f32x4.splat(C5));
  p = madd<M>(p, r, f32x4.splat(C4));
  p = madd<M>(p, r, f32x4.splat(C3));
  p = madd<M>(p, r, f32x4.splat(C2));
  p = madd<M>(p, r, f32x4.splat(1.0));
  r = f32x4.mul(r, s);
  const f = madd<M>(r, p, s);
  // Below the cutoff (and −∞) the 2^n bits are wrong: flush to +0.
  return v128.andnot(f, f32x4.lt(t, f32x4.splat(CUTOFF)));
}

// Elements per f32 partial-sum block of expSum (16 per step, so 16 additions per lane).
// @ts-ignore: decorator
@inline const BLOCK = 256;

// Σ e^(x[i] − m); with `write`, each e is stored to y. 16 f32 partial sums (4 vectors) take at most
// 16 additions each before they are folded into an f64 pair, so the sum's rounding error stays near
// 2^−24 relative whatever the row length (a plain f32 sum of 8192 terms drifts past 1e-6, which
// log_softmax would show).
// @ts-ignore: decorator
@inline function expSum<M>(x: usize, y: usize, n: i32, m: f32, write: bool): f64 {
  const vm = f32x4.splat(m);
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
      const e0 = exp4<M>(f32x4.sub(v128.load(p), vm));
      const e1 = exp4<M>(f32x4.sub(v128.load(p, 16), vm));
      const e2 = exp4<M>(f32x4.sub(v128.load(p, 32), vm));
      const e3 = exp4<M>(f32x4.sub(v128.load(p, 48), vm));
      if (write) {
        const q = y + (<usize>i << 2);
        v128.store(q, e0);
        v128.store(q, e1, 16);
        v128.store(q, e2, 32);
        v128.store(q, e3, 48);
      }
      s0 = f32x4.add(s0, e0);
      s1 = f32x4.add(s1, e1);
      s2 = f32x4.add(s2, e2);
      s3 = f32x4.add(s3, e3);
    }
    acc = f64x2.add(acc, widenSum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3))));
  }
  let s = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const e = exp4<M>(f32x4.sub(v128.load(x + (<usize>i << 2)), vm));
    if (write) v128.store(y + (<usize>i << 2), e);
    s = f32x4.add(s, e);
  }
  if (i < n) {
    // Lanes past the row hold whatever follows it (even NaN): zero them before they reach the sum.
    const e = v128.and(exp4<M>(f32x4.sub(v128.load(x + (<usize>i << 2)), vm)), laneMask(n - i));
    if (write) storeLanes(y + (<usize>i << 2), e, n - i);
    s = f32x4.add(s, e);
  }
  acc = f64x2.add(acc, widenSum(s));
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// @ts-ignore: decorator
@inline export function softmaxRows<M>(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  checkRows(x, y, rows, cols, ldx, ldy);
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * <usize>ldx << 2);
    const yr = y + (<usize>r * <usize>ldy << 2);
    let m = rowMaxF32(xr, cols);
    // All −∞ (or only −∞ and NaN): shift by 0 so that the −∞ give e = 0 rather than NaN.
    if (m == -Infinity) m = 0;
    const sum = expSum<M>(xr, yr, cols, m, true);
    // sum == 0 only for an all −∞ row, whose y already holds its defined result, zeros.
    if (sum == 0) continue;
    const scale = <f32>(1.0 / sum);
    const vs = f32x4.splat(scale);
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const q = yr + (<usize>j << 2);
      v128.store(q, f32x4.mul(v128.load(q), vs));
      v128.store(q, f32x4.mul(v128.load(q, 16), vs), 16);
      v128.store(q, f32x4.mul(v128.load(q, 32), vs), 32);
      v128.store(q, f32x4.mul(v128.load(q, 48), vs), 48);
    }
    for (; j + 4 <= cols; j += 4) {
      const q = yr + (<usize>j << 2);
      v128.store(q, f32x4.mul(v128.load(q), vs));
    }
    for (; j < cols; j++) {
      const q = yr + (<usize>j << 2);
      store<f32>(q, load<f32>(q) * scale);
    }
  }
}

// @ts-ignore: decorator
@inline export function logSoftmaxRows<M>(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  checkRows(x, y, rows, cols, ldx, ldy);
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * <usize>ldx << 2);
    const yr = y + (<usize>r * <usize>ldy << 2);
    let m = rowMaxF32(xr, cols);
    if (m == -Infinity) m = 0;
    const sum = expSum<M>(xr, 0, cols, m, false);
    // All −∞: log Σ would be −∞ and (−∞) − (−∞) NaN; with 0 every y is x − 0 − 0 = −∞.
    const lse: f32 = sum == 0 ? 0 : <f32>Math.log(sum);
    // Two roundings, (x − m) − lse, not x − (m + lse): m + lse would lose lse's low bits when |m| ≫ lse.
    const vm = f32x4.splat(m);
    const vl = f32x4.splat(lse);
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const p = xr + (<usize>j << 2);
      const q = yr + (<usize>j << 2);
      const a = f32x4.sub(f32x4.sub(v128.load(p), vm), vl);
      const b = f32x4.sub(f32x4.sub(v128.load(p, 16), vm), vl);
      const c = f32x4.sub(f32x4.sub(v128.load(p, 32), vm), vl);
      const d = f32x4.sub(f32x4.sub(v128.load(p, 48), vm), vl);
      v128.store(q, a);
      v128.store(q, b, 16);
      v128.store(q, c, 32);
      v128.store(q, d, 48);
    }
    for (; j + 4 <= cols; j += 4) {
      v128.store(yr + (<usize>j << 2), f32x4.sub(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm), vl));
    }
    if (j < cols) {
      const v = f32x4.sub(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm), vl);
      storeLanes(yr + (<usize>j << 2), v, cols - j);
    }
  }
}

// @ts-ignore: decorator
@inline export function expMinusMax<M>(x: usize, y: usize, n: i32, max: f32): f32 {
  assert(n >= 0 && ((x | y) & 3) == 0);
  return <f32>(y ? expSum<M>(x, y, n, max, true) : expSum<M>(x, 0, n, max, false));
}
