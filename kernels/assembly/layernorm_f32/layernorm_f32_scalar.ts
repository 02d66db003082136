// layernorm_f32_scalar.ts — layer normalization over the last axis and its backward, f32, scalar
// (hosts without SIMD). Operations, layout and argument meaning: as in layernorm_f32_simd.ts, whose
// header is the contract of both files. Reads and writes exactly the elements of the buffers.
// Numerics: the row sums (Σx, Σ(x − μ)², Σg, Σg·x̂) run in f64 — as cheap as f32 in scalar code and
//   more accurate than the SIMD file's blocked f32 lanes, so the two agree to rounding, not bit for
//   bit. Everything else is the same f32 operations in the same order (x − μ as (x − μ_hi) − μ_lo).
// Twin: kernels/ref/layernorm_f32.ts.
import { checkLayerNorm, checkLayerNormGrad } from './check';

export function layernorm_f32__scalar(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, rows: i32, cols: i32, eps: f32,
): void {
  checkLayerNorm(x, gamma, beta, y, mean, rstd, rows, cols);
  const rowB = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowB;
    const yr = y + <usize>r * rowB;
    let s: f64 = 0;
    for (let j = 0; j < cols; j++) s += <f64>load<f32>(xr + (<usize>j << 2));
    const mu: f64 = s / <f64>cols;
    const hi = <f32>mu;
    const lo = <f32>(mu - <f64>hi);
    let v: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const d = load<f32>(xr + (<usize>j << 2)) - hi - lo;
      v += <f64>(d * d);
    }
    const rs: f64 = 1.0 / Math.sqrt(v / <f64>cols + <f64>eps);
    store<f32>(mean + (<usize>r << 2), <f32>mu);
    store<f32>(rstd + (<usize>r << 2), <f32>rs);
    const rf = <f32>rs;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const a = (load<f32>(xr + o) - hi - lo) * rf;
      store<f32>(yr + o, a * load<f32>(gamma + o) + load<f32>(beta + o));
    }
  }
}

export function layernorm_grad_f32__scalar(
  x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32,
): void {
  checkLayerNormGrad(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols);
  const rowB = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowB;
    const gr = dy + <usize>r * rowB;
    const dr = dx + <usize>r * rowB;
    const mu = load<f32>(mean + (<usize>r << 2));
    const rs = load<f32>(rstd + (<usize>r << 2));
    let s1: f64 = 0;
    let s2: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(gr + o);
      const h = (load<f32>(xr + o) - mu) * rs;
      const g = load<f32>(gamma + o) * d;
      s1 += <f64>g;
      s2 += <f64>(g * h);
      store<f32>(dgamma + o, load<f32>(dgamma + o) + d * h);
      store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
    }
    const m1 = <f32>(s1 / <f64>cols);
    const m2 = <f32>(s2 / <f64>cols);
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const h = (load<f32>(xr + o) - mu) * rs;
      const g = load<f32>(gamma + o) * load<f32>(gr + o);
      store<f32>(dr + o, rs * (g - m1 - h * m2));
    }
  }
}
