// softmax_scalar.ts — row-wise softmax / log-softmax and exp(x − max), scalar f32 (hosts without SIMD;
// also the readable statement of the algorithm the SIMD file vectorizes).
//
// softmax_f32:      y[r][j] = e^(x[r][j] − m_r) / Σ_j e^(x[r][j] − m_r),  m_r = max_j x[r][j]
// log_softmax_f32:  y[r][j] = (x[r][j] − m_r) − log Σ_j e^(x[r][j] − m_r)
// exp_minus_max_f32: y[i] = e^(x[i] − max), returns Σ y[i] (the middle pass of softmax, exported so the
//                    exp can be measured and reused; max must be ≥ every x[i]).
// Layout: rows × cols f32, row r of x at x + 4·r·ldx, of y at y + 4·r·ldy (strides in elements).
//   In place is allowed: x == y with ldx == ldy. Reads and writes exactly the row elements.
// Passes per row: (1) max, (2) e = exp(x − m) written to y while summing, (3) y *= 1/Σ (the row is
//   still in cache). log_softmax does not store in (2), so that in place works, and its (3) reads x again.
// Special rows: −∞ entries give 0 (softmax) / −∞ (log_softmax), which is masked attention. A row of
//   only −∞ gives all 0 (softmax) and all −∞ (log_softmax): the limit "nothing to attend to", no NaN.
//   A row with a NaN or +∞ gives all NaN. cols = 0 writes nothing.
// Numerics: exp from exp_poly.ts (≤ 2e-7 relative); sum in f64 (the SIMD kernels fold short f32 partial
//   sums into f64, so scalar and SIMD sums agree to rounding, not bit for bit); 1/Σ once per row in f64, rounded once (≤ 1 ulp more); log Σ in f64, rounded once. Result vs the f64 twin: abs or rel ≤ 1e-6.
// Twin: kernels/ref/softmax.ts.
import { expNonPos } from './exp_poly';
import { checkRows } from './rows';

// Max that skips NaN (as f32x4.pmax does in the SIMD kernels): a NaN shows up through the sum instead.
// @ts-ignore: decorator
@inline function rowMax(x: usize, n: i32): f32 {
  let m = -Infinity as f32;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    m = m < v ? v : m;
  }
  return m;
}

// Σ e^(x[i] − m), storing each term to y when y != 0. Summed in f64 (as cheap as f32 in scalar code):
// an f32 running sum of thousands of terms drifts past the 1e-6 that log_softmax must meet.
// @ts-ignore: decorator
@inline function expSum(x: usize, y: usize, n: i32, m: f32): f64 {
  let s0: f64 = 0;
  let s1: f64 = 0;
  let s2: f64 = 0;
  let s3: f64 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = x + (<usize>i << 2);
    const e0 = expNonPos(load<f32>(p) - m);
    const e1 = expNonPos(load<f32>(p, 4) - m);
    const e2 = expNonPos(load<f32>(p, 8) - m);
    const e3 = expNonPos(load<f32>(p, 12) - m);
    if (y) {
      const q = y + (<usize>i << 2);
      store<f32>(q, e0);
      store<f32>(q, e1, 4);
      store<f32>(q, e2, 8);
      store<f32>(q, e3, 12);
    }
    s0 += e0;
    s1 += e1;
    s2 += e2;
    s3 += e3;
  }
  for (; i < n; i++) {
    const e = expNonPos(load<f32>(x + (<usize>i << 2)) - m);
    if (y) store<f32>(y + (<usize>i << 2), e);
    s0 += e;
  }
  return (s0 + s1) + (s2 + s3);
}

export function softmax_f32__scalar(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  checkRows(x, y, rows, cols, ldx, ldy);
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * <usize>ldx << 2);
    const yr = y + (<usize>r * <usize>ldy << 2);
    let m = rowMax(xr, cols);
    // All −∞ (or only −∞ and NaN): shift by 0 so that the −∞ give e = 0 rather than NaN.
    if (m == -Infinity) m = 0;
    const sum = expSum(xr, yr, cols, m);
    // sum == 0 only for an all −∞ row, whose y already holds its defined result, zeros.
    if (sum == 0) continue;
    const scale = <f32>(1.0 / sum);
    for (let j = 0; j < cols; j++) {
      const q = yr + (<usize>j << 2);
      store<f32>(q, load<f32>(q) * scale);
    }
  }
}

export function log_softmax_f32__scalar(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  checkRows(x, y, rows, cols, ldx, ldy);
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * <usize>ldx << 2);
    const yr = y + (<usize>r * <usize>ldy << 2);
    let m = rowMax(xr, cols);
    if (m == -Infinity) m = 0;
    const sum = expSum(xr, 0, cols, m);
    // All −∞: log Σ would be −∞ and (−∞) − (−∞) NaN; with 0 every y is x − 0 − 0 = −∞.
    const lse: f32 = sum == 0 ? 0 : <f32>Math.log(sum);
    // Two roundings, (x − m) − lse, not x − (m + lse): m + lse would lose lse's low bits when |m| ≫ lse.
    for (let j = 0; j < cols; j++) {
      store<f32>(yr + (<usize>j << 2), (load<f32>(xr + (<usize>j << 2)) - m) - lse);
    }
  }
}

export function exp_minus_max_f32__scalar(x: usize, y: usize, n: i32, max: f32): f32 {
  assert(n >= 0 && ((x | y) & 3) == 0);
  return <f32>expSum(x, y, n, max);
}
