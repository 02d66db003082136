// ref/layernorm_f32.ts — plain-TS twin of assembly/layernorm_f32/*: layer normalization over the last
// axis and its backward, in f64. The loops of ArrayBackend.layerNorm / layerNormGrad
// (packages/autograd).

export interface LayerNormRef {
  y: Float64Array;
  mean: Float64Array;
  rstd: Float64Array;
}

/** y = (x − μ)·ρ·γ + β per row of x [rows, cols], μ = mean, ρ = 1/√(var + eps) (biased variance). */
export function layerNormF32(
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  rows: number,
  cols: number,
  eps: number,
): LayerNormRef {
  const y = new Float64Array(rows * cols);
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mu = 0;
    for (let j = 0; j < cols; j++) mu += x[o + j];
    mu /= cols;
    let v = 0;
    for (let j = 0; j < cols; j++) v += (x[o + j] - mu) ** 2;
    const rs = 1 / Math.sqrt(v / cols + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let j = 0; j < cols; j++) y[o + j] = (x[o + j] - mu) * rs * gamma[j] + beta[j];
  }
  return { y, mean, rstd };
}

export interface LayerNormGradRef {
  dx: Float64Array;
  dgamma: Float64Array;
  dbeta: Float64Array;
}

/**
 * dx = ρ·(γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂)) with x̂ = (x − mean)·rstd from the given per-row mean
 * and rstd; dgamma = dgamma0 + Σ dy·x̂, dbeta = dbeta0 + Σ dy.
 */
export function layerNormGradF32(
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  dy: ArrayLike<number>,
  dgamma0: ArrayLike<number>,
  dbeta0: ArrayLike<number>,
  rows: number,
  cols: number,
): LayerNormGradRef {
  const dx = new Float64Array(rows * cols);
  const dgamma = Float64Array.from(dgamma0);
  const dbeta = Float64Array.from(dbeta0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = mean[r];
    const rs = rstd[r];
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < cols; j++) {
      const xh = (x[o + j] - mu) * rs;
      const gd = gamma[j] * dy[o + j];
      s1 += gd;
      s2 += gd * xh;
      dgamma[j] += dy[o + j] * xh;
      dbeta[j] += dy[o + j];
    }
    s1 /= cols;
    s2 /= cols;
    for (let j = 0; j < cols; j++) {
      const xh = (x[o + j] - mu) * rs;
      dx[o + j] = rs * (gamma[j] * dy[o + j] - s1 - xh * s2);
    }
  }
  return { dx, dgamma, dbeta };
}
