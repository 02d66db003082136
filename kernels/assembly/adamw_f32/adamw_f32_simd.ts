// adamw_f32_simd.ts — one fused AdamW step, WASM SIMD128, 8 elements a step.
// Same export, arguments, layout and arithmetic as adamw_f32_scalar.ts, whose header is the contract;
// every lane performs the scalar file's operations in its order, so both give the same bits.
// Memory-bound: reads p, g, m, v and writes p, m, v (28 bytes per element).
// Reads up to 12 bytes past the last element of each span (a trailing partial vector); writes only the
// n elements of p, m and v.
// Twin: kernels/ref/adamw_f32.ts.
import { storeLanes } from '../lanes';
import { checkAdamw } from './adamw_params';

export function adamw_f32__simd(
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
  const c1 = f32x4.splat(oneMinusBeta1);
  const c2 = f32x4.splat(oneMinusBeta2);
  const b1 = f32x4.splat(<f32>(1.0 - <f64>oneMinusBeta1));
  const b2 = f32x4.splat(<f32>(1.0 - <f64>oneMinusBeta2));
  const decay = f32x4.splat(<f32>(1.0 - <f64>lr * <f64>weightDecay));
  const step = f32x4.splat(<f32>(<f64>lr / <f64>bc1));
  const ibc2 = f32x4.splat(<f32>(1.0 / <f64>bc2));
  const ve = f32x4.splat(eps);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(f32x4.mul(c2, gi), gi));
    const den = f32x4.add(f32x4.sqrt(f32x4.mul(vi, ibc2)), ve);
    const pi = f32x4.sub(f32x4.mul(v128.load(p + o), decay), f32x4.div(f32x4.mul(step, mi), den));
    if (i + 4 <= n) {
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      v128.store(p + o, pi);
    } else {
      storeLanes(m + o, mi, n - i);
      storeLanes(v + o, vi, n - i);
      storeLanes(p + o, pi, n - i);
    }
  }
}
