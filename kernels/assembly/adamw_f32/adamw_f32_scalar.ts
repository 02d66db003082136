// adamw_f32_scalar.ts — one fused AdamW step (Loshchilov & Hutter, decoupled weight decay), scalar
// (hosts without SIMD; also the readable statement of what adamw_f32_simd.ts vectorizes).
//
// adamw_f32(p, g, m, v, n, lr, one_minus_beta1, one_minus_beta2, eps, weight_decay, bc1, bc2), i < n:
//   m[i] = β1·m[i] + (1 − β1)·g[i]
//   v[i] = β2·v[i] + (1 − β2)·g[i]·g[i]
//   p[i] = p[i]·(1 − lr·wd) − lr·(m[i]/bc1) / (√(v[i]/bc2) + ε)
// with bc1 = 1 − β1^t and bc2 = 1 − β2^t computed by the caller (step t ≥ 1) — the loop of
// packages/autograd/src/optim/optimizer.ts, m and v read back after their update as there.
// The betas come in as 1 − β: an f32 β2 = 0.999 is off by 1.3e−8, which is 1.3e−5 of 1 − β2; f32(1 − β)
// keeps both (β = 1 − (1 − β) is formed in f64 and rounded once).
// Layout: p, m, v updated in place, g read; four spans of n f32 that must not overlap (debug builds trap).
// Arithmetic, per element, in f32 with constants formed in f64 and rounded once per call:
//   b1 = 1 − c1, b2 = 1 − c2, decay = 1 − lr·wd, step = lr/bc1, ibc2 = 1/bc2;
//   m' = b1·m + c1·g; v' = b2·v + (c2·g)·g; p' = p·decay − (step·m') / (√(v'·ibc2) + ε).
// Error against the loop in f64 (same f32 inputs): m' within 3u·(|β1·m| + |(1−β1)·g|) + u·|m'|, v' likewise
//   with 4u; the update term within 8u of itself plus what m' carries; u = 2^−24 (kernels/test/adamw_f32.test.ts).
// Both variants perform the same operations and give the same bits.
// Twin: kernels/ref/adamw_f32.ts.
import { checkAdamw } from './adamw_params';

export function adamw_f32__scalar(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
  eps: f32,
  weightDecay: f32,
  bc1: f32,
  bc2: f32,
): void {
  checkAdamw(p, g, m, v, n, lr, oneMinusBeta1, oneMinusBeta2, eps, bc1, bc2);
  const c1 = oneMinusBeta1;
  const c2 = oneMinusBeta2;
  const b1 = <f32>(1.0 - <f64>c1);
  const b2 = <f32>(1.0 - <f64>c2);
  const decay = <f32>(1.0 - <f64>lr * <f64>weightDecay);
  const step = <f32>(<f64>lr / <f64>bc1);
  const ibc2 = <f32>(1.0 / <f64>bc2);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi: f32 = b1 * load<f32>(m + o) + c1 * gi;
    const vi: f32 = b2 * load<f32>(v + o) + c2 * gi * gi;
    const den: f32 = sqrt<f32>(vi * ibc2) + eps;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) * decay - (step * mi) / den);
  }
}
