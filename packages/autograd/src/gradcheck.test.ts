import { erf } from '@edgeseg/kernels/ref';
import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import { RefBackend } from './backend/ref.js';
import { tidy } from './function.js';
import * as ops from './ops/index.js';
import { Tensor } from './tensor.js';
import { opCases } from './testkit/opCases.js';

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
  it.each(opCases.map((c) => [c.name, c] as const))('%s', (_name, c) =>
    gradcheck(c.name, c.f, c.shapes, 1, c.range),
  );
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
