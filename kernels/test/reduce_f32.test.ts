// reduce_f32.test.ts — every reduce_f32 kernel in the manifest against ArrayBackend.reduce's f64 loop
// (kernels/ref/reduce_f32.ts) over [outer, mid, inner] shapes at the edges (inner = 1 rows, 2–3
// column tails, 16-column blocks; mid across the 16-row and 256-element blocks), with NaN/±∞, and
// offsets. The scalar sum accumulates in f64 in the TS loop's order (bit-exact); the SIMD sum is held
// to its blocked-summation bound. Max is exact everywhere.
import { blockedSumF32Tolerance, Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import { type KernelInfo, type Kernels, kernelsOf, reduceF32 } from '../src/index.js';
import { expectEach, sameBits } from './elementwise_cases.js';
import { buildFor, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

interface Shape {
  outer: number;
  mid: number;
  inner: number;
}

function shapes(): Shape[] {
  const out: Shape[] = [];
  for (const outer of [1, 3]) {
    for (const mid of [0, 1, 2, 3, 15, 16, 17, 33, 256, 257]) {
      for (const inner of [1, 2, 3, 4, 5, 15, 16, 17, 33, 64, 65]) out.push({ outer, mid, inner });
    }
  }
  // Long rows and deep columns: bias gradients of SegFormer-B0 shapes, last-axis sums.
  out.push(
    { outer: 1, mid: 40000, inner: 1 },
    { outer: 64, mid: 1023, inner: 1 },
    { outer: 1, mid: 8192, inner: 32 },
    { outer: 1, mid: 2048, inner: 160 },
    { outer: 1, mid: 1024, inner: 256 },
    { outer: 2, mid: 5000, inner: 3 },
    { outer: 4, mid: 500, inner: 19 },
  );
  return out;
}

function inputs(n: number, seed: number, specials: boolean): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal() * (1 + 99 * rng.float() ** 4) + 0.3;
  if (specials) {
    for (let i = 0; i < n; i++) {
      if (rng.float() < 0.002)
        x[i] = rng.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e-40]);
    }
  }
  return x;
}

function run(k: Kernels, info: KernelInfo, op: 'sum' | 'max', s: Shape, x: Float32Array, offsets = false) {
  const no = s.outer * s.inner;
  const xo = offsets ? 3 : 0;
  const oo = offsets ? 1 : 0;
  const gx = guarded(k, 'f32', x.length + xo);
  gx.buf.set(x, xo);
  const go = guarded(k, 'f32', no + oo);
  reduceF32(k, op, gx.buf, go.buf, s, { isa: info.isa, xOffset: xo, outOffset: oo });
  gx.checkCanary(info.name);
  go.checkCanary(info.name);
  const out = go.buf.toArray();
  if (offsets) expect(out[0], 'wrote before outOffset').toBeNaN();
  gx.free();
  go.free();
  return out.subarray(oo);
}

for (const op of ['sum', 'max'] as const) {
  describe.each(kernelsOf(`reduce_${op}_f32`).map((info) => [info.name, info] as const))(
    '%s',
    (_name, info) => {
      const k = buildFor(info)!;
      const exact = op === 'max' || info.isa === 'scalar';
      it(`matches the f64 loop ${exact ? 'bit for bit' : 'within 18u·Σ|x| + u·|Σx|'} on every shape`, () => {
        let seed = op === 'sum' ? 1 : 5000;
        for (const s of shapes()) {
          for (const specials of [false, true]) {
            const x = inputs(s.outer * s.mid * s.inner, seed, specials);
            const got = run(k, info, op, s, x, seed % 5 === 0);
            const want = ref.reduceF32(op, x, s.outer, s.mid, s.inner);
            const abs = ref.reduceAbsSumF32(x, s.outer, s.mid, s.inner);
            const where = `${kernelLabel(info)}, outer×mid×inner=${s.outer}×${s.mid}×${s.inner}${specials ? ', with NaN/±∞' : ''}, seed=${seed}`;
            expectEach(
              want.length,
              (i) => {
                const w = Math.fround(want[i]);
                if (exact || !Number.isFinite(w) || Number.isNaN(want[i])) {
                  // max over an inner = 1 row compares lanes out of order: ±0 ties may come out either way.
                  return op === 'max' && info.isa !== 'scalar' && s.inner === 1
                    ? w === got[i] || sameBits(w, got[i])
                    : sameBits(w, got[i]);
                }
                return Math.abs(got[i] - want[i]) <= blockedSumF32Tolerance(abs[i], want[i], s.mid);
              },
              (i) =>
                `(o, i)=(${Math.floor(i / s.inner)}, ${i % s.inner}): reference=${want[i]}, optimized=${got[i]}, Σ|x|=${abs[i]}`,
              where,
            );
            seed++;
          }
        }
      });
      it('gives 0 (sum) or −∞ (max) for mid = 0 and skips NaN in max', () => {
        const x = Float32Array.from([Number.NaN, 1, Number.NaN, Number.NaN, 2, Number.NaN, -5, Number.NaN]);
        if (op === 'max') {
          // [1, 4, 2]: column 0 = NaN, NaN, 2, NaN → 2; column 1 = 1, NaN, NaN, NaN... → per the TS loop.
          const got = run(k, info, op, { outer: 1, mid: 4, inner: 2 }, x);
          const want = ref.reduceF32('max', x, 1, 4, 2);
          expect([...got]).toEqual([...want].map(Math.fround));
          const allNaN = run(
            k,
            info,
            op,
            { outer: 1, mid: 5, inner: 1 },
            new Float32Array(5).fill(Number.NaN),
          );
          expect(allNaN[0]).toBe(Number.NEGATIVE_INFINITY);
        }
        const empty = run(k, info, op, { outer: 2, mid: 0, inner: 3 }, new Float32Array(0));
        expect([...empty]).toEqual(new Array(6).fill(op === 'sum' ? 0 : Number.NEGATIVE_INFINITY));
      });
    },
  );
}

describe('blocked summation', () => {
  it('stays within its bound where a plain f32 running sum does not', () => {
    const k = releaseKernels();
    const n = 1 << 22;
    const x = new Float32Array(n).fill(0.1);
    const got = run(
      k,
      kernelsOf('reduce_sum_f32').find((i) => i.isa === 'simd128')!,
      'sum',
      { outer: 1, mid: n, inner: 1 },
      x,
    );
    const exact = n * Math.fround(0.1);
    let naive = 0;
    for (let i = 0; i < n; i++) naive = Math.fround(naive + x[i]);
    const bound = blockedSumF32Tolerance(exact, exact, n);
    console.log(
      `reduce_sum_f32: Σ of 2^22 × 0.1: relative error ${(Math.abs(got[0] - exact) / exact).toExponential(2)} ` +
        `(bound ${(bound / exact).toExponential(2)}); a plain f32 running sum: ${(Math.abs(naive - exact) / exact).toExponential(2)}`,
    );
    expect(Math.abs(got[0] - exact)).toBeLessThanOrEqual(bound);
    expect(Math.abs(naive - exact)).toBeGreaterThan(bound);
    // The same as column sums (inner = 16, 16-row blocks).
    const cols = run(
      k,
      kernelsOf('reduce_sum_f32').find((i) => i.isa === 'simd128')!,
      'sum',
      { outer: 1, mid: n / 16, inner: 16 },
      x,
    );
    for (const c of cols)
      expect(Math.abs(c - exact / 16)).toBeLessThanOrEqual(
        blockedSumF32Tolerance(exact / 16, exact / 16, n / 16),
      );
  });
});

describe('the scalar build', () => {
  it('carries sum and max, bit-exact with the f64 loop', () => {
    const k = scalarKernels();
    for (const op of ['sum', 'max'] as const) {
      const info = kernelsOf(`reduce_${op}_f32`).find((i) => i.isa === 'scalar')!;
      const s = { outer: 2, mid: 301, inner: 7 };
      const x = inputs(s.outer * s.mid * s.inner, 9, true);
      const got = run(k, info, op, s, x);
      const want = ref.reduceF32(op, x, s.outer, s.mid, s.inner);
      expectEach(
        want.length,
        (i) => sameBits(Math.fround(want[i]), got[i]),
        (i) => `reference=${want[i]}, optimized=${got[i]}`,
        `scalar build ${op}`,
      );
    }
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  it('names the op, the argument and what was expected', () => {
    const x = k.alloc('f32', 24);
    const out = k.alloc('f32', 4);
    expect(() => reduceF32(k, 'sum', x, out, { outer: 2, mid: 3, inner: 5 })).toThrow(
      /reduce_sum_f32: x is too small. Expected ≥ 30 elements \(outer·mid·inner\)/,
    );
    expect(() => reduceF32(k, 'max', x, out, { outer: 1, mid: 4, inner: 6 })).toThrow(
      /reduce_max_f32: out is too small. Expected ≥ 6 elements \(outer·inner\)/,
    );
    expect(() => reduceF32(k, 'sum', x, x, { outer: 1, mid: 4, inner: 2 })).toThrow(
      /x and out overlap \(a reduction cannot run in place\)/,
    );
    expect(() => reduceF32(k, 'mean' as 'sum', x, out, { outer: 1, mid: 4, inner: 2 })).toThrow(
      /reduce_f32: unknown op "mean"/,
    );
    expect(() => reduceF32(k, 'sum', x, out, { outer: 1, mid: -1, inner: 2 })).toThrow(/mid is out of range/);
    x.release();
    out.release();
  });
});
