// layernorm_f32_simd.ts — layer normalization over the last axis and its backward, f32, WASM SIMD128.
//
// layernorm_f32:      per row r of x [rows, cols]: μ = mean(x_r), σ² = mean((x_r − μ)²),
//                     ρ = 1/√(σ² + eps); y = (x − μ)·ρ·γ + β; mean[r] = μ, rstd[r] = ρ (both f32).
// layernorm_grad_f32: x̂ = (x − mean[r])·rstd[r] (the stored f32 values), g = γ·dy:
//                     dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) (written), dgamma += Σ_r dy·x̂,
//                     dbeta += Σ_r dy (accumulated, one f32 addition per row, as the reference).
// Layout: dense rows of `cols` f32; gamma, beta, dgamma, dbeta [cols]; mean, rstd [rows].
// Statistics with bounded error, whatever cols: Σx runs in f64 lanes (μ exact to f64 rounding);
//   Σ(x − μ)², Σg and Σg·x̂ run in f32 lanes for at most 4 additions per lane (blocks of 64 elements,
//   16 per step; 32 and 8 in the backward), then are folded into f64 (exact), so each is within
//   ~6·ε/2·Σ|terms| (a plain f32 running sum of 1024 terms can lose ~100× more). μ, σ² and ρ are
//   formed in f64 and rounded once. x − μ is computed as (x − μ_hi) − μ_lo with μ = μ_hi + μ_lo (two
//   f32), so it keeps its accuracy when |μ| ≫ σ (the first subtraction is exact near μ, the second
//   rounds relative to the result): x̂ is within a few ε of exact, relative, for any offset.
// Passes per row: mean, centred squares, output (the row is in L1 after the first); backward: sums
//   with the dgamma/dbeta updates, then dx.
// Reads up to 12 bytes past each row's last element (a full vector for the last 1–3, masked before
//   any sum): inside the next row or the arena's 16 tail bytes. Writes only row elements (the last
//   1–3 with lane stores).
// Numerics: against the f64 twin, layerNormF32Tolerance / layerNormGradF32Tolerance in
//   @edgeseg/testing. The scalar file sums in f64 instead of blocks: results agree to rounding, not
//   bit for bit.
// Twin: kernels/ref/layernorm_f32.ts (ArrayBackend.layerNorm / layerNormGrad).
import { laneMask, storeLanes, widenSum } from '../lanes';
import { checkLayerNorm, checkLayerNormGrad } from './check';

// @ts-ignore: decorator
@inline function hsum(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// (x − hi) − lo: x minus the f64 mean hi + lo.
// @ts-ignore: decorator
@inline function centre(x: v128, hi: v128, lo: v128): v128 {
  return f32x4.sub(f32x4.sub(x, hi), lo);
}

// Σ x[0..n) in f64 lanes (4 f64x2 sums, 8 elements a step): the mean is then exact to f64 rounding,
// which the centring needs when |μ| ≫ σ (an f32 mean would be off by ~ε·|μ|, i.e. by ε·|μ|/σ in x̂).
// @ts-ignore: decorator
@inline function rowSumF64(x: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    const v = v128.load(p);
    const w = v128.load(p, 16);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(w));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i32x4.shuffle(w, w, 2, 3, 0, 1)));
  }
  for (; i < n; i += 4) {
    let v = v128.load(x + (<usize>i << 2));
    // Lanes past the row hold whatever follows it (even NaN): zero them before they reach the sum.
    if (n - i < 4) v = v128.and(v, laneMask(n - i));
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  return hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
}

// Σ ((x − hi) − lo)² over x[0..n), in f64 from blocks of short f32 lane sums (≤ 4 additions a lane).
// @ts-ignore: decorator
@inline function rowSumSq(x: usize, n: i32, hi: v128, lo: v128): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  while (i + 16 <= n) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    const end = min(n, i + 64);
    for (; i + 16 <= end; i += 16) {
      const p = x + (<usize>i << 2);
      const v0 = centre(v128.load(p), hi, lo);
      const v1 = centre(v128.load(p, 16), hi, lo);
      const v2 = centre(v128.load(p, 32), hi, lo);
      const v3 = centre(v128.load(p, 48), hi, lo);
      s0 = f32x4.add(s0, f32x4.mul(v0, v0));
      s1 = f32x4.add(s1, f32x4.mul(v1, v1));
      s2 = f32x4.add(s2, f32x4.mul(v2, v2));
      s3 = f32x4.add(s3, f32x4.mul(v3, v3));
    }
    acc = f64x2.add(acc, widenSum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3))));
  }
  let s = f32x4.splat(0);
  for (; i < n; i += 4) {
    let v = centre(v128.load(x + (<usize>i << 2)), hi, lo);
    v = f32x4.mul(v, v);
    if (n - i < 4) v = v128.and(v, laneMask(n - i));
    s = f32x4.add(s, v);
  }
  return hsum(f64x2.add(acc, widenSum(s)));
}

export function layernorm_f32__simd(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, rows: i32, cols: i32, eps: f32,
): void {
  checkLayerNorm(x, gamma, beta, y, mean, rstd, rows, cols);
  const rowB = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowB;
    const yr = y + <usize>r * rowB;
    // Statistics in f64; μ = hi + lo in two f32 for the centring.
    const mu: f64 = rowSumF64(xr, cols) / <f64>cols;
    const muHi = <f32>mu;
    const muLo = <f32>(mu - <f64>muHi);
    const hi = f32x4.splat(muHi);
    const lo = f32x4.splat(muLo);
    const variance: f64 = rowSumSq(xr, cols, hi, lo) / <f64>cols;
    const rs: f64 = 1.0 / Math.sqrt(variance + <f64>eps);
    store<f32>(mean + (<usize>r << 2), <f32>mu);
    store<f32>(rstd + (<usize>r << 2), <f32>rs);
    // y = (x − μ)·ρ·γ + β
    const vr = f32x4.splat(<f32>rs);
    let j = 0;
    for (; j + 8 <= cols; j += 8) {
      const o = <usize>j << 2;
      const a = f32x4.mul(centre(v128.load(xr + o), hi, lo), vr);
      const b = f32x4.mul(centre(v128.load(xr + o, 16), hi, lo), vr);
      v128.store(yr + o, f32x4.add(f32x4.mul(a, v128.load(gamma + o)), v128.load(beta + o)));
      v128.store(yr + o, f32x4.add(f32x4.mul(b, v128.load(gamma + o, 16)), v128.load(beta + o, 16)), 16);
    }
    for (; j < cols; j += 4) {
      const o = <usize>j << 2;
      const a = f32x4.mul(centre(v128.load(xr + o), hi, lo), vr);
      const v = f32x4.add(f32x4.mul(a, v128.load(gamma + o)), v128.load(beta + o));
      if (cols - j >= 4) v128.store(yr + o, v);
      else storeLanes(yr + o, v, cols - j);
    }
  }
}

export function layernorm_grad_f32__simd(
  x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32,
): void {
  checkLayerNormGrad(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols);
  const rowB = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowB;
    const gr = dy + <usize>r * rowB;
    const dr = dx + <usize>r * rowB;
    const rsS = load<f32>(rstd + (<usize>r << 2));
    const mu = f32x4.splat(load<f32>(mean + (<usize>r << 2)));
    const rs = f32x4.splat(rsS);
    // Pass 1: Σ g, Σ g·x̂ (blocked), dgamma += dy·x̂, dbeta += dy.
    let acc1 = f64x2.splat(0);
    let acc2 = f64x2.splat(0);
    let j = 0;
    while (j < cols) {
      let s1a = f32x4.splat(0);
      let s1b = s1a;
      let s2a = s1a;
      let s2b = s1a;
      const end = min(cols, j + 32);
      for (; j + 8 <= end; j += 8) {
        const o = <usize>j << 2;
        const d0 = v128.load(gr + o);
        const d1 = v128.load(gr + o, 16);
        const h0 = f32x4.mul(f32x4.sub(v128.load(xr + o), mu), rs);
        const h1 = f32x4.mul(f32x4.sub(v128.load(xr + o, 16), mu), rs);
        const g0 = f32x4.mul(v128.load(gamma + o), d0);
        const g1 = f32x4.mul(v128.load(gamma + o, 16), d1);
        s1a = f32x4.add(s1a, g0);
        s1b = f32x4.add(s1b, g1);
        s2a = f32x4.add(s2a, f32x4.mul(g0, h0));
        s2b = f32x4.add(s2b, f32x4.mul(g1, h1));
        const pg = dgamma + o;
        const pb = dbeta + o;
        v128.store(pg, f32x4.add(v128.load(pg), f32x4.mul(d0, h0)));
        v128.store(pg, f32x4.add(v128.load(pg, 16), f32x4.mul(d1, h1)), 16);
        v128.store(pb, f32x4.add(v128.load(pb), d0));
        v128.store(pb, f32x4.add(v128.load(pb, 16), d1), 16);
      }
      if (end == cols) {
        // The last 1–7 elements of the row, a vector at a time (masked sums, lane stores).
        for (; j < cols; j += 4) {
          const o = <usize>j << 2;
          const rem = cols - j;
          const m = laneMask(rem);
          const d0 = v128.load(gr + o);
          const h0 = f32x4.mul(f32x4.sub(v128.load(xr + o), mu), rs);
          const g0 = f32x4.mul(v128.load(gamma + o), d0);
          s1a = f32x4.add(s1a, v128.and(g0, m));
          s2a = f32x4.add(s2a, v128.and(f32x4.mul(g0, h0), m));
          const pg = dgamma + o;
          const pb = dbeta + o;
          const ng = f32x4.add(v128.load(pg), f32x4.mul(d0, h0));
          const nb = f32x4.add(v128.load(pb), d0);
          if (rem >= 4) {
            v128.store(pg, ng);
            v128.store(pb, nb);
          } else {
            storeLanes(pg, ng, rem);
            storeLanes(pb, nb, rem);
          }
        }
      }
      acc1 = f64x2.add(acc1, widenSum(f32x4.add(s1a, s1b)));
      acc2 = f64x2.add(acc2, widenSum(f32x4.add(s2a, s2b)));
    }
    const m1 = f32x4.splat(<f32>(hsum(acc1) / <f64>cols));
    const m2 = f32x4.splat(<f32>(hsum(acc2) / <f64>cols));
    // Pass 2: dx = ρ·((g − mean(g)) − x̂·mean(g·x̂)).
    j = 0;
    for (; j < cols; j += 4) {
      const o = <usize>j << 2;
      const d0 = v128.load(gr + o);
      const h0 = f32x4.mul(f32x4.sub(v128.load(xr + o), mu), rs);
      const g0 = f32x4.mul(v128.load(gamma + o), d0);
      const v = f32x4.mul(rs, f32x4.sub(f32x4.sub(g0, m1), f32x4.mul(h0, m2)));
      if (cols - j >= 4) v128.store(dr + o, v);
      else storeLanes(dr + o, v, cols - j);
    }
  }
}
