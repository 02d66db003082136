// layernorm_f32.test.ts — every layernorm_f32-family kernel in the manifest against the f64 twin in
// kernels/ref/layernorm_f32.ts: every row length 1–70, the vector and block edges (15/16/17, 31/32/33,
// 63/64/65, 127/128/129) and the model widths (32…1024); distributions named by what they probe:
// offset rows (|μ| ≫ σ, the centring), constant rows (σ = 0, ρ = 1/√eps), large and tiny scales.
// Outputs NaN-poisoned (forward, dx), dgamma/dbeta start from random values (they accumulate),
// canaries after every buffer.
import {
  F32_EPS,
  layerNormF32Tolerance,
  layerNormGradF32Tolerance,
  Rng,
  sumF32Tolerance,
} from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import { type KernelInfo, type Kernels, kernelsOf, layerNormF32, layerNormGradF32 } from '../src/index.js';
import { expectClose } from './compare.js';
import { buildFor, firstMismatch, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

const DISTS: Record<string, (rng: Rng, r: number, j: number) => number> = {
  'uniform(-1,1)': (rng) => rng.uniform(-1, 1),
  'offset 1000 ± 0.01': (rng) => 1000 + rng.uniform(-0.01, 0.01),
  'offset -50 ± 1': (rng) => -50 + rng.uniform(-1, 1),
  normal·1e3: (rng) => 1e3 * rng.normal(),
  'normal·1e-3': (rng) => 1e-3 * rng.normal(),
  'constant rows': (_rng, r) => r * 0.75 - 1,
};

interface Case {
  name: string;
  rows: number;
  cols: number;
  eps: number;
  dist: string;
  seed: number;
}

function cases(): Case[] {
  const list: Case[] = [];
  let seed = 700;
  const names = Object.keys(DISTS);
  for (let cols = 1; cols <= 70; cols++) {
    list.push({
      name: `cols=${cols}`,
      rows: 3,
      cols,
      eps: 1e-5,
      dist: names[cols % names.length],
      seed: seed++,
    });
  }
  for (const dist of names) {
    for (const cols of [15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 160, 256, 320, 512, 1000, 1024]) {
      list.push({ name: `cols=${cols}`, rows: 2, cols, eps: 1e-6, dist, seed: seed++ });
    }
  }
  list.push({ name: 'eps=0', rows: 4, cols: 37, eps: 0, dist: 'uniform(-1,1)', seed: seed++ });
  list.push({ name: 'many rows', rows: 64, cols: 24, eps: 1e-5, dist: 'offset -50 ± 1', seed: seed++ });
  list.push({ name: 'rows=0', rows: 0, cols: 16, eps: 1e-5, dist: 'uniform(-1,1)', seed: seed++ });
  return list;
}

const ALL = cases();
const label = (info: KernelInfo, c: Case) =>
  `${kernelLabel(info)}, rows×cols=${c.rows}×${c.cols}, eps=${c.eps}, dist "${c.dist}", seed=${c.seed}`;

function inputs(c: Case) {
  const rng = new Rng(c.seed);
  const x = new Float32Array(c.rows * c.cols);
  for (let r = 0; r < c.rows; r++)
    for (let j = 0; j < c.cols; j++) x[r * c.cols + j] = DISTS[c.dist](rng, r, j);
  return {
    x,
    gamma: rng.f32Array(c.cols, -2, 2),
    beta: rng.f32Array(c.cols, -1, 1),
    dy: rng.f32Array(c.rows * c.cols, -1, 1),
    dgamma0: rng.f32Array(c.cols, -1, 1),
    dbeta0: rng.f32Array(c.cols, -1, 1),
  };
}

interface Fwd {
  y: Float32Array;
  mean: Float32Array;
  rstd: Float32Array;
}

function runForward(k: Kernels, info: KernelInfo, c: Case, beta?: Float32Array): Fwd {
  const inp = inputs(c);
  const gx = guarded(k, 'f32', inp.x.length, inp.x);
  const gg = guarded(k, 'f32', c.cols, inp.gamma);
  const gb = guarded(k, 'f32', c.cols, beta ?? inp.beta);
  const gy = guarded(k, 'f32', inp.x.length);
  const gm = guarded(k, 'f32', c.rows);
  const gr = guarded(k, 'f32', c.rows);
  layerNormF32(k, gx.buf, gg.buf, gb.buf, gy.buf, gm.buf, gr.buf, {
    rows: c.rows,
    cols: c.cols,
    eps: c.eps,
    isa: info.isa,
  });
  const all = [gx, gg, gb, gy, gm, gr];
  for (const b of all) b.checkCanary(info.name);
  expect(firstMismatch(inp.x, gx.buf.view()), `x changed, ${label(info, c)}`).toBe(-1);
  const out = { y: gy.buf.toArray(), mean: gm.buf.toArray(), rstd: gr.buf.toArray() };
  for (const b of all) b.free();
  return out;
}

function checkForward(info: KernelInfo, c: Case, got: Fwd): void {
  const inp = inputs(c);
  const want = ref.layerNormF32(inp.x, inp.gamma, inp.beta, c.rows, c.cols, c.eps);
  const where = label(info, c);
  const at = (i: number) => `(${Math.floor(i / c.cols)}, ${i % c.cols})`;
  const tolY = (i: number) => {
    const r = Math.floor(i / c.cols);
    const j = i % c.cols;
    const xhat = (inp.x[i] - want.mean[r]) * want.rstd[r];
    return layerNormF32Tolerance(Math.abs(xhat * inp.gamma[j]), Math.abs(inp.beta[j]));
  };
  // μ is summed in f64 and rounded once; ρ within a few ε relative (see layerNormF32Tolerance).
  expectClose('mean', want.mean, got.mean, (r) => F32_EPS * Math.abs(want.mean[r]), where);
  expectClose('rstd', want.rstd, got.rstd, (r) => 8 * F32_EPS * want.rstd[r], where);
  expectClose('y', want.y, got.y, tolY, where, at);
}

interface Bwd {
  dx: Float32Array;
  dgamma: Float32Array;
  dbeta: Float32Array;
}

/** The saved statistics the backward gets: the twin's mean and rstd, as f32. */
function saved(c: Case) {
  const inp = inputs(c);
  const f = ref.layerNormF32(inp.x, inp.gamma, inp.beta, c.rows, c.cols, c.eps);
  return { mean: Float32Array.from(f.mean), rstd: Float32Array.from(f.rstd) };
}

function runBackward(k: Kernels, info: KernelInfo, c: Case): Bwd {
  const inp = inputs(c);
  const st = saved(c);
  const gx = guarded(k, 'f32', inp.x.length, inp.x);
  const gg = guarded(k, 'f32', c.cols, inp.gamma);
  const gm = guarded(k, 'f32', c.rows, st.mean);
  const gr = guarded(k, 'f32', c.rows, st.rstd);
  const gdy = guarded(k, 'f32', inp.dy.length, inp.dy);
  const gdx = guarded(k, 'f32', inp.x.length);
  const gdg = guarded(k, 'f32', c.cols, inp.dgamma0);
  const gdb = guarded(k, 'f32', c.cols, inp.dbeta0);
  layerNormGradF32(k, gx.buf, gg.buf, gm.buf, gr.buf, gdy.buf, gdx.buf, gdg.buf, gdb.buf, {
    rows: c.rows,
    cols: c.cols,
    isa: info.isa,
  });
  const all = [gx, gg, gm, gr, gdy, gdx, gdg, gdb];
  for (const b of all) b.checkCanary(info.name);
  const out = { dx: gdx.buf.toArray(), dgamma: gdg.buf.toArray(), dbeta: gdb.buf.toArray() };
  for (const b of all) b.free();
  return out;
}

function checkBackward(info: KernelInfo, c: Case, got: Bwd): void {
  const inp = inputs(c);
  const st = saved(c);
  const { rows, cols } = c;
  const want = ref.layerNormGradF32(
    inp.x,
    inp.gamma,
    st.mean,
    st.rstd,
    inp.dy,
    inp.dgamma0,
    inp.dbeta0,
    rows,
    cols,
  );
  // Per-row magnitudes for the dx bound, and Σ|terms| for dgamma / dbeta.
  const xh = (i: number) => (inp.x[i] - st.mean[Math.floor(i / cols)]) * st.rstd[Math.floor(i / cols)];
  const g = (i: number) => inp.gamma[i % cols] * inp.dy[i];
  const meanAbsG = new Float64Array(rows);
  const meanAbsGXh = new Float64Array(rows);
  const boundDg = Float64Array.from(inp.dgamma0, Math.abs);
  const boundDb = Float64Array.from(inp.dbeta0, Math.abs);
  for (let i = 0; i < rows * cols; i++) {
    const r = Math.floor(i / cols);
    meanAbsG[r] += Math.abs(g(i)) / cols;
    meanAbsGXh[r] += Math.abs(g(i) * xh(i)) / cols;
    boundDg[i % cols] += Math.abs(inp.dy[i] * xh(i));
    boundDb[i % cols] += Math.abs(inp.dy[i]);
  }
  const where = label(info, c);
  const at = (i: number) => `(${Math.floor(i / cols)}, ${i % cols})`;
  expectClose(
    'dx',
    want.dx,
    got.dx,
    (i) => {
      const r = Math.floor(i / cols);
      return layerNormGradF32Tolerance(
        st.rstd[r],
        Math.abs(g(i)),
        meanAbsG[r],
        Math.abs(xh(i)),
        meanAbsGXh[r],
      );
    },
    where,
    at,
  );
  expectClose('dgamma', want.dgamma, got.dgamma, (j) => sumF32Tolerance(boundDg[j], rows + 1), where);
  expectClose('dbeta', want.dbeta, got.dbeta, (j) => sumF32Tolerance(boundDb[j], rows + 1), where);
}

describe.each(kernelsOf('layernorm_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it(`matches the f64 twin (y, mean, rstd) on ${ALL.length} shapes and distributions`, () => {
    for (const c of ALL) checkForward(info, c, runForward(k, info, c));
  });
  it('cols = 0 gives NaN statistics, as the reference (0/0), and writes no y', () => {
    const c: Case = { name: 'cols=0', rows: 3, cols: 0, eps: 1e-5, dist: 'uniform(-1,1)', seed: 1 };
    const f = runForward(k, info, c);
    expect([...f.mean].every(Number.isNaN) && [...f.rstd].every(Number.isNaN)).toBe(true);
  });
});

describe.each(kernelsOf('layernorm_grad_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info)!;
    it(`matches the f64 twin (dx written, dgamma and dbeta accumulated) on ${ALL.length} shapes`, () => {
      for (const c of ALL) checkBackward(info, c, runBackward(k, info, c));
    });
  },
);

describe('scalar and SIMD agree', () => {
  it('to the documented tolerance (the scalar sums in f64, SIMD in short f32 blocks)', () => {
    const k = releaseKernels();
    for (const c of ALL.filter((_, i) => i % 4 === 0)) {
      for (const info of kernelsOf('layernorm_f32')) checkForward(info, c, runForward(k, info, c));
      for (const info of kernelsOf('layernorm_grad_f32')) checkBackward(info, c, runBackward(k, info, c));
    }
  });
});

describe('the tests can fail', () => {
  const k = releaseKernels();
  const c = ALL.find((cc) => cc.cols === 64 && cc.dist === 'uniform(-1,1)')!;
  it('an unbiased variance (n − 1) is caught', () => {
    const info = kernelsOf('layernorm_f32')[1];
    const got = runForward(k, info, c);
    // rstd as if the variance had been divided by n − 1: ρ' ≈ ρ·√((n−1)/n).
    const f = Math.sqrt((c.cols - 1) / c.cols);
    got.rstd = got.rstd.map((v) => v * f);
    expect(() => checkForward(info, c, got)).toThrow(/rstd at 0/);
  });
  it('a forward that drops β is caught', () => {
    const info = kernelsOf('layernorm_f32')[1];
    const got = runForward(k, info, c, new Float32Array(c.cols));
    expect(() => checkForward(info, c, got)).toThrow(/y at \(0, 0\)/);
  });
  it('a backward without the mean(g·x̂) term is caught', () => {
    const info = kernelsOf('layernorm_grad_f32')[1];
    const got = runBackward(k, info, c);
    const inp = inputs(c);
    const st = saved(c);
    let s2 = 0;
    for (let j = 0; j < c.cols; j++) {
      const xh = (inp.x[j] - st.mean[0]) * st.rstd[0];
      s2 += (inp.gamma[j] * inp.dy[j] * xh) / c.cols;
    }
    for (let j = 0; j < c.cols; j++) got.dx[j] += st.rstd[0] * ((inp.x[j] - st.mean[0]) * st.rstd[0]) * s2;
    expect(() => checkBackward(info, c, got)).toThrow(/dx at \(0, \d+\)/);
  });
});

describe('the scalar build', () => {
  it('carries both layernorm kernels, matching the twin', () => {
    const k = scalarKernels();
    for (const c of ALL.filter((_, i) => i % 9 === 0)) {
      checkForward(kernelsOf('layernorm_f32')[0], c, runForward(k, kernelsOf('layernorm_f32')[0], c));
      checkBackward(
        kernelsOf('layernorm_grad_f32')[0],
        c,
        runBackward(k, kernelsOf('layernorm_grad_f32')[0], c),
      );
    }
  });
});

describe('wrapper validation', () => {
  it('names the argument and what was expected', () => {
    const k = scalarKernels();
    const x = k.alloc('f32', 12);
    const v = k.alloc('f32', 4);
    const m = k.alloc('f32', 3);
    const r = k.alloc('f32', 3);
    const y = k.alloc('f32', 12);
    const o = { rows: 3, cols: 4, eps: 1e-5 };
    expect(() => layerNormF32(k, x, v, v, y, m, v, o)).toThrow(/layernorm_f32: rstd overlaps gamma/);
    expect(() => layerNormF32(k, x, m, v, y, m, r, o)).toThrow(
      /layernorm_f32: gamma is too small. Expected ≥ 4 elements \(cols = 4\), got 3/,
    );
    expect(() => layerNormF32(k, x, v, v, y, m, r, { ...o, eps: Number.NaN })).toThrow(
      /eps must be a finite number/,
    );
    expect(() => layerNormGradF32(k, x, v, m, r, y, x, v, v, o)).toThrow(/layernorm_grad_f32: dx overlaps x/);
    for (const b of [x, v, m, r, y]) b.release();
  });
});
