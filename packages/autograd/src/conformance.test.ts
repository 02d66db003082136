// Conformance: every op of the suite, forward and backward, on the wasm backend against the ref
// backend (f32) on the same inputs (candle / tfjs: one suite, every backend).
import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend/backend.js';
import { RefBackend } from './backend/ref.js';
import { WasmBackend } from './backend/wasm.js';
import { tidy } from './function.js';
import { AdamW } from './optim/optimizer.js';
import { Tensor } from './tensor.js';
import { kernelPathCases, type OpCase, opCases } from './testkit/opCases.js';

const ref = new RefBackend();
const wasm = new WasmBackend(undefined, { isa: 'simd128' });

function run(be: Backend, c: OpCase, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const [lo, hi] = c.range ?? [-1, 1];
  return tidy(() => {
    const xs = c.shapes.map((s) => {
      const t = Tensor.from(
        be,
        s,
        Float32Array.from({ length: s.reduce((p, d) => p * d, 1) }, () => rng.uniform(lo, hi)),
      );
      t.requiresGrad = true;
      return t;
    });
    const y = c.f(...xs);
    const w = Tensor.from(
      be,
      y.shape,
      Float32Array.from({ length: y.size }, () => rng.uniform(-1, 1)),
    );
    y.mul(w).sum().backward();
    return [
      Float32Array.from(y.toArray()),
      ...xs.map((x) => Float32Array.from(x.grad ? x.grad.toArray() : new Float32Array(x.size))),
    ];
  });
}

describe('wasm backend conforms to the ref backend', () => {
  it.each([...opCases, ...kernelPathCases].map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const want = run(ref, c, 11);
    const got = run(wasm, c, 11);
    want.forEach((w, i) => {
      let max = 0;
      for (const v of w) max = Math.max(max, Math.abs(v));
      const tol = 1e-5 * Math.max(1, max);
      for (let j = 0; j < w.length; j++) {
        if (!(Math.abs(w[j] - got[i][j]) <= tol)) {
          throw new Error(
            `${c.name}: ${i === 0 ? 'output' : `grad of input ${i - 1}`}[${j}] ref=${w[j]} wasm=${got[i][j]} (tol ${tol})`,
          );
        }
      }
    });
  });

  it('only the cases that say so fall back to the TS loops', () => {
    const fell = new Set<string>();
    wasm.fallbackHook = (llop, f) => {
      fell.add(llop);
      f();
    };
    try {
      for (const c of kernelPathCases) {
        fell.clear();
        run(wasm, c, 3);
        expect([c.name, [...fell]]).toEqual([c.name, c.fallbacks ?? []]);
      }
    } finally {
      wasm.fallbackHook = null;
    }
  });

  it('AdamW on the kernel matches the TS loop over several steps, per group, and falls back outside its domain', () => {
    const steps = (be: Backend, beta1: number) => {
      const rng = new Rng(5);
      const data = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
      const p = [Tensor.param(be, [37], data(37)), Tensor.param(be, [3, 5], data(15))];
      const opt = new AdamW(
        [{ params: [p[0]] }, { params: [p[1]], lrMult: 10, weightDecay: 0 }],
        1e-2,
        0.05,
        beta1,
      );
      for (let s = 0; s < 4; s++) {
        tidy(() => {
          opt.zeroGrad();
          p[0].mul(p[0]).sum().add(p[1].exp().sum()).backward();
          opt.update();
        });
      }
      return p.map((t) => Float32Array.from(t.toArray()));
    };
    for (const beta1 of [0.9, 0]) {
      let fell = false;
      wasm.fallbackHook = (llop, f) => {
        fell ||= llop === 'adamw';
        f();
      };
      const got = steps(wasm, beta1);
      wasm.fallbackHook = null;
      expect(fell).toBe(beta1 === 0);
      const want = steps(ref, beta1);
      want.forEach((w, i) => {
        for (let j = 0; j < w.length; j++) expect(Math.abs(got[i][j] - w[j])).toBeLessThanOrEqual(2e-6);
      });
    }
  });

  it('tensors live in the kernel arena and are released after a step', () => {
    const before = wasm.kernels.arena.stats.liveBlocks;
    tidy(() => {
      const x = Tensor.from(wasm, [4, 4], new Float32Array(16).fill(1));
      x.requiresGrad = true;
      x.matmul(x).sum().backward();
    });
    expect(wasm.kernels.arena.stats.liveBlocks).toBe(before);
  });
});
