import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import { erf } from './backend/erf.js';
import { RefBackend } from './backend/ref.js';
import { tidy } from './function.js';
import * as ops from './ops/index.js';
import { Tensor } from './tensor.js';

const be = new RefBackend({ f64: true });

/**
 * Central finite differences in f64 against backward, on loss = Σ (f(x) + 1)² · w with fixed random
 * w (so every output element gets a different upstream gradient).
 */
function gradcheck(
  name: string,
  f: (...xs: Tensor[]) => Tensor,
  shapes: number[][],
  seed = 1,
  range: [number, number] = [-1, 1],
) {
  const rng = new Rng(seed);
  const values = shapes.map((s) =>
    Array.from({ length: s.reduce((p, d) => p * d, 1) }, () => rng.uniform(...range)),
  );
  let wts: number[] | null = null;
  const loss = (vals: number[][], withGrad: boolean): { l: number; grads: Float64Array[] } =>
    tidy(() => {
      const xs = vals.map((v, i) => {
        const t = Tensor.from(be, shapes[i], v);
        t.requiresGrad = withGrad;
        return t;
      });
      const y = f(...xs);
      wts ??= Array.from({ length: y.size }, () => rng.uniform(-1, 1));
      const w = Tensor.from(be, y.shape, wts);
      const l = y.add(1).square().mul(w).sum();
      if (withGrad) l.backward();
      return {
        l: l.item(),
        grads: xs.map((x) => (x.grad ? (x.grad.toArray() as Float64Array) : new Float64Array(x.size))),
      };
    });
  const { grads } = loss(values, true);
  const h = 1e-6;
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values[i].length; j++) {
      const orig = values[i][j];
      values[i][j] = orig + h;
      const lp = loss(values, false).l;
      values[i][j] = orig - h;
      const lm = loss(values, false).l;
      values[i][j] = orig;
      const num = (lp - lm) / (2 * h);
      const ana = grads[i][j];
      const tol = 1e-5 * Math.max(1, Math.abs(num), Math.abs(ana));
      if (!(Math.abs(num - ana) <= tol)) {
        throw new Error(
          `${name}: d/dx${i}[${j}] analytic=${ana}, numeric=${num}, shapes=${JSON.stringify(shapes)}, seed=${seed}`,
        );
      }
    }
  }
}

describe('finite-difference gradient checks (ref backend, f64)', () => {
  it.each([
    ['neg', (x: Tensor) => x.neg()],
    ['exp', (x: Tensor) => x.exp()],
    ['square', (x: Tensor) => x.square()],
    ['relu', (x: Tensor) => x.relu()],
    ['gelu', (x: Tensor) => x.gelu()],
    ['sigmoid', (x: Tensor) => x.sigmoid()],
    ['tanh', (x: Tensor) => x.tanh()],
    ['hardswish', (x: Tensor) => x.mul(4).hardswish()],
    ['hardsigmoid', (x: Tensor) => x.mul(4).hardsigmoid()],
    ['affine', (x: Tensor) => x.mul(3).add(2)],
  ] as const)('%s', (name, f) => gradcheck(name, f, [[3, 5]]));

  it.each([['log'], ['sqrt'], ['abs']] as const)('%s (positive inputs)', (name) =>
    gradcheck(
      name,
      (x) => (name === 'log' ? x.log() : name === 'sqrt' ? x.sqrt() : x.abs()),
      [[2, 7]],
      2,
      [0.2, 2],
    ),
  );

  it('add/sub/mul/div with broadcasting', () => {
    gradcheck('add', (a, b) => a.add(b), [[2, 3, 4], [4]]);
    gradcheck('sub', (a, b) => a.sub(b), [
      [2, 1, 4],
      [3, 1],
    ]);
    gradcheck('mul', (a, b) => a.mul(b), [
      [2, 3, 4],
      [2, 3, 1],
    ]);
    gradcheck('div', (a, b) => a.div(b.square().add(0.5)), [
      [3, 4],
      [1, 4],
    ]);
    gradcheck('x+x', (a) => a.add(a).mul(a), [[5]]);
  });

  it('matmul in all four transpose combinations, batched and broadcast', () => {
    gradcheck('NN', (a, b) => a.matmul(b), [
      [3, 4],
      [4, 5],
    ]);
    gradcheck('TN', (a, b) => a.matmul(b, { transA: true }), [
      [4, 3],
      [4, 5],
    ]);
    gradcheck('NT', (a, b) => a.matmul(b, { transB: true }), [
      [3, 4],
      [5, 4],
    ]);
    gradcheck('TT', (a, b) => a.matmul(b, { transA: true, transB: true }), [
      [4, 3],
      [5, 4],
    ]);
    gradcheck('batched', (a, b) => a.matmul(b), [
      [2, 3, 4],
      [2, 4, 2],
    ]);
    gradcheck('broadcast B', (a, b) => a.matmul(b, { transB: true }), [
      [2, 3, 4],
      [5, 4],
    ]);
  });

  it('linear with and without bias', () => {
    gradcheck('linear', (x, w, b) => ops.linear(x, w, b), [[2, 3, 4], [5, 4], [5]]);
    gradcheck('linear no bias', (x, w) => ops.linear(x, w), [
      [3, 4],
      [2, 4],
    ]);
  });

  it('reshape, permute, concat, slice', () => {
    gradcheck('reshape', (x) => x.reshape([6, 2]).mul(x.reshape([6, 2])), [[3, 4]]);
    gradcheck('permute', (x) => x.permute([2, 0, 1]), [[2, 3, 4]]);
    gradcheck('concat', (a, b) => ops.concat([a, b], 1), [
      [2, 3, 2],
      [2, 1, 2],
    ]);
    gradcheck('slice', (x) => ops.slice(x, 1, 1, 2), [[2, 4, 3]]);
  });

  it('sum, mean, max', () => {
    gradcheck('sum', (x) => x.sum([0, 2]), [[2, 3, 4]]);
    gradcheck('mean keepdims', (x) => x.mean(1, true), [[2, 3, 4]]);
    gradcheck('max', (x) => x.max(1), [[3, 5]]);
  });

  it('softmax and log-softmax', () => {
    gradcheck('softmax', (x) => x.mul(3).softmax(), [[4, 6]]);
    gradcheck('logSoftmax', (x) => x.mul(3).logSoftmax(), [[4, 6]]);
  });

  it('layerNorm and batchNorm', () => {
    gradcheck('layerNorm', (x, g, b) => ops.layerNorm(x, g, b, 1e-5), [[3, 5], [5], [5]]);
    const stats = { mean: new Float64Array(4), var: new Float64Array(4) };
    gradcheck('batchNorm', (x, g, b) => ops.batchNorm(x, g, b, 1e-5, stats), [[2, 3, 4], [4], [4]]);
  });

  it('conv2d: overlapping patch embed k7/s4/p3, k3/s2/p1, sr conv k=s=2, pointwise', () => {
    gradcheck('k7s4p3', (x, w, b) => ops.conv2d(x, w, b, 4, 3), [[1, 9, 10, 2], [3, 7, 7, 2], [3]]);
    gradcheck('k3s2p1', (x, w, b) => ops.conv2d(x, w, b, 2, 1), [[2, 5, 4, 3], [2, 3, 3, 3], [2]]);
    gradcheck('k2s2', (x, w) => ops.conv2d(x, w, undefined, 2, 0), [
      [1, 4, 6, 2],
      [3, 2, 2, 2],
    ]);
    gradcheck('1x1', (x, w, b) => ops.conv2d(x, w, b), [[2, 3, 3, 4], [5, 1, 1, 4], [5]]);
  });

  it('depthwise conv 3×3 (stride 1 and 2) and 5×5', () => {
    gradcheck('dw3', (x, w, b) => ops.dwconv2d(x, w, b, 1, 1), [[2, 4, 5, 3], [3, 3, 3], [3]]);
    gradcheck('dw3s2', (x, w) => ops.dwconv2d(x, w, undefined, 2, 1), [
      [1, 5, 6, 2],
      [3, 3, 2],
    ]);
    gradcheck('dw5', (x, w, b) => ops.dwconv2d(x, w, b, 1, 2), [[1, 6, 5, 2], [5, 5, 2], [2]]);
  });

  it('bilinear resize, align_corners=false, up and down', () => {
    gradcheck('up', (x) => ops.resize(x, 7, 9), [[2, 3, 4, 2]]);
    gradcheck('down', (x) => ops.resize(x, 2, 3), [[1, 5, 7, 2]]);
  });

  it('attention core', () => {
    gradcheck('attn', (q, k, v) => ops.attention(q, k, v, 2, 0.5), [
      [2, 5, 4],
      [2, 3, 4],
      [2, 3, 4],
    ]);
  });

  it('cross-entropy with ignore index and class weights', () => {
    const labels = [0, 2, 255, 1, 2, 0];
    gradcheck('ce', (x) => ops.crossEntropy(x, labels), [[6, 3]]);
    gradcheck('ce weighted', (x) => ops.crossEntropy(x, labels, { weights: [1, 2, 0.5] }), [[6, 3]]);
  });
});

describe('hand-checked values', () => {
  it('erf matches known values to 1e-15', () => {
    const known: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [-0.7, -0.6778011938374184],
    ];
    for (const [x, v] of known) expect(Math.abs(erf(x) - v)).toBeLessThan(2e-15);
  });

  it('bilinear resize uses half-pixel centres (2→4 gives [a, .75a+.25b, .25a+.75b, b])', () => {
    const y = tidy(() => ops.resize(Tensor.from(be, [1, 1, 2, 1], [0, 4]), 1, 4).toArray());
    expect([...y]).toEqual([0, 1, 3, 4]);
  });

  it('cross-entropy of an all-ignored batch is 0, not NaN', () => {
    const l = tidy(() => ops.crossEntropy(Tensor.from(be, [2, 3], [1, 2, 3, 4, 5, 6]), [255, 255]).item());
    expect(l).toBe(0);
  });

  it('errors name the op and both shapes', () => {
    tidy(() => {
      const a = Tensor.zeros(be, [2, 3]);
      const b = Tensor.zeros(be, [4, 5]);
      expect(() => a.matmul(b)).toThrow(/matmul: inner dimensions differ.*\[2,3\] and \[4,5\]/);
      expect(() => a.add(b)).toThrow(/add: shapes \[2,3\] and \[4,5\] do not broadcast/);
    });
  });
});
