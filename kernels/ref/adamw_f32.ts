// ref/adamw_f32.ts — plain-TS twin of assembly/adamw_f32/*: the AdamW loop of
// packages/autograd/src/optim/optimizer.ts in f64, with m and v rounded to f32 where the loop stores
// them into f32 tensors before the parameter update reads them back.

export interface AdamwHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Step number t ≥ 1 (bias corrections 1 − β^t). */
  step: number;
}

export interface AdamwResult {
  /** Updated moments in f64 (before the f32 store) and the updated parameters. */
  m: Float64Array;
  v: Float64Array;
  p: Float64Array;
}

export function adamwF32(
  p: ArrayLike<number>,
  g: ArrayLike<number>,
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  h: AdamwHyper,
): AdamwResult {
  const n = p.length;
  const out: AdamwResult = { m: new Float64Array(n), v: new Float64Array(n), p: new Float64Array(n) };
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  const decay = 1 - h.lr * h.weightDecay;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = h.beta1 * m[i] + (1 - h.beta1) * gi;
    const vi = h.beta2 * v[i] + (1 - h.beta2) * gi * gi;
    const M = Math.fround(mi);
    const V = Math.fround(vi);
    out.m[i] = mi;
    out.v[i] = vi;
    out.p[i] = p[i] * decay - (h.lr * (M / bc1)) / (Math.sqrt(V / bc2) + h.eps);
  }
  return out;
}
