// adamw_f32.test.ts — the fused AdamW step (scalar and SIMD) against the optimizer's loop in f64
// (kernels/ref/adamw_f32.ts): every length at the loop edges, several hyper-parameter sets and step
// numbers, a run of consecutive steps, offsets; p, m, v canaries checked. Scalar and SIMD give the
// same bits.
import { adamwF32Tolerances, Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import { type AdamwF32Hyper, adamwF32, type KernelInfo, type Kernels, kernelsOf } from '../src/index.js';
import { expectEach, LENGTHS, sameBits } from './elementwise_cases.js';
import { buildFor, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

const HYPERS: AdamwF32Hyper[] = [
  { lr: 6e-5, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1 },
  { lr: 6e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 37 },
  { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 20000 },
  { lr: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-6, weightDecay: 0.1, step: 3 },
];

interface State {
  p: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

function state(n: number, seed: number, fresh: boolean): State {
  const rng = new Rng(seed);
  const s: State = {
    p: new Float32Array(n),
    g: new Float32Array(n),
    m: new Float32Array(n),
    v: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    s.p[i] = rng.normal() * 0.2;
    s.g[i] = rng.normal() * 10 ** rng.uniform(-6, 0);
    if (i % 17 === 3) s.g[i] = 0;
    s.m[i] = fresh ? 0 : rng.normal() * 1e-3;
    s.v[i] = fresh ? 0 : (rng.normal() * 1e-3) ** 2;
  }
  return s;
}

/** One kernel step on copies of s (guarded), returning the updated p, m, v. */
function step(k: Kernels, info: KernelInfo, s: State, h: AdamwF32Hyper, offset = 0): State {
  const n = s.p.length;
  const bufs = (['p', 'g', 'm', 'v'] as const).map((name) => {
    const g = guarded(k, 'f32', n + offset);
    g.buf.set(s[name], offset);
    return g;
  });
  const [gp, gg, gm, gv] = bufs;
  const o = offset ? { pOffset: offset, gOffset: offset, mOffset: offset, vOffset: offset } : {};
  adamwF32(k, { p: gp.buf, g: gg.buf, m: gm.buf, v: gv.buf }, h, { ...o, isa: info.isa });
  for (const b of bufs) b.checkCanary(info.name);
  const out: State = {
    p: gp.buf.toArray().slice(offset),
    g: s.g,
    m: gm.buf.toArray().slice(offset),
    v: gv.buf.toArray().slice(offset),
  };
  expect([...gg.buf.toArray().slice(offset)], 'g was modified').toEqual([...s.g]);
  for (const b of bufs) b.free();
  return out;
}

function expectStep(s: State, got: State, h: AdamwF32Hyper, where: string) {
  const want = ref.adamwF32(s.p, s.g, s.m, s.v, h);
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  const decay = 1 - h.lr * h.weightDecay;
  const tol = (i: number) => {
    const den = Math.sqrt(want.v[i] / bc2) + h.eps;
    return adamwF32Tolerances({
      beta1M: h.beta1 * s.m[i],
      oneMinusBeta1G: (1 - h.beta1) * s.g[i],
      mNew: want.m[i],
      beta2V: h.beta2 * s.v[i],
      oneMinusBeta2G2: (1 - h.beta2) * s.g[i] * s.g[i],
      vNew: want.v[i],
      stepOverDen: h.lr / bc1 / den,
      update: (h.lr * (want.m[i] / bc1)) / den,
      pDecay: s.p[i] * decay,
      pNew: want.p[i],
    });
  };
  const desc = (i: number) =>
    `reference p,m,v=${want.p[i]}, ${want.m[i]}, ${want.v[i]}; optimized=${got.p[i]}, ${got.m[i]}, ${got.v[i]}; ` +
    `inputs p=${s.p[i]} g=${s.g[i]} m=${s.m[i]} v=${s.v[i]}`;
  expectEach(s.p.length, (i) => Math.abs(got.m[i] - want.m[i]) <= tol(i).m, desc, `m, ${where}`);
  expectEach(s.p.length, (i) => Math.abs(got.v[i] - want.v[i]) <= tol(i).v, desc, `v, ${where}`);
  expectEach(s.p.length, (i) => Math.abs(got.p[i] - want.p[i]) <= tol(i).p, desc, `p, ${where}`);
}

describe.each(kernelsOf('adamw_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it('matches the optimizer loop for every length and hyper-parameter set', () => {
    let seed = 1;
    for (const h of HYPERS) {
      for (const n of LENGTHS) {
        const s = state(n, seed, h.step === 1);
        expectStep(
          s,
          step(k, info, s, h, seed % 3),
          h,
          `${kernelLabel(info)}, n=${n}, ${JSON.stringify(h)}, seed=${seed}`,
        );
        seed++;
      }
    }
  });
  it('follows the loop over 50 consecutive steps', () => {
    const h0 = HYPERS[1];
    let s = state(333, 7, true);
    const rng = new Rng(8);
    for (let t = 1; t <= 50; t++) {
      const h = { ...h0, step: t };
      const got = step(k, info, s, h);
      expectStep(s, got, h, `${kernelLabel(info)}, step ${t}, seed=7`);
      const g = new Float32Array(s.g.length);
      for (let i = 0; i < g.length; i++) g[i] = rng.normal() * 1e-2;
      s = { p: got.p, m: got.m, v: got.v, g };
    }
  });
});

describe('scalar and SIMD give the same bits', () => {
  it('on 10007 elements', () => {
    const k = releaseKernels();
    const s = state(10007, 3, false);
    const [a, b] = (['scalar', 'simd128'] as const).map((isa) =>
      step(k, kernelsOf('adamw_f32').find((i) => i.isa === isa)!, s, HYPERS[1]),
    );
    for (const name of ['p', 'm', 'v'] as const) {
      expectEach(
        s.p.length,
        (i) => sameBits(a[name][i], b[name][i]),
        (i) => `scalar=${a[name][i]}, simd=${b[name][i]}`,
        `adamw_f32 ${name}`,
      );
    }
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  it('names the argument and what was expected', () => {
    const [p, g, m, v] = [0, 1, 2, 3].map(() => k.alloc('f32', 8));
    const h = HYPERS[0];
    expect(() => adamwF32(k, { p, g, m, v }, { ...h, beta2: 1 })).toThrow(
      /adamw_f32: beta2 is out of range. Expected a number in \[0, 1\)/,
    );
    expect(() => adamwF32(k, { p, g, m, v }, { ...h, step: 0 })).toThrow(/adamw_f32: step is out of range/);
    expect(() => adamwF32(k, { p, g, m, v }, { ...h, lr: -1 })).toThrow(/adamw_f32: lr is out of range/);
    expect(() => adamwF32(k, { p, g, m: p, v }, h)).toThrow(/adamw_f32: p and m overlap/);
    expect(() => adamwF32(k, { p, g, m, v }, h, { n: 6, vOffset: 3 })).toThrow(
      /adamw_f32: v is too small. Expected ≥ 9 elements \(vOffset \+ n\)/,
    );
    for (const b of [p, g, m, v]) b.release();
  });
});
