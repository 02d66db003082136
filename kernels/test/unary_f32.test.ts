// unary_f32.test.ts — every unary_f32 kernel in the manifest (scalar and SIMD, forward and backward)
// against the f64 twin in kernels/ref/unary_f32.ts (ArrayBackend's math): every length at the loop
// edges, each op's interesting domain, special values, in place and unaligned offsets; outputs
// NaN-poisoned before each call and 64 canary bytes checked after. Plus dense accuracy sweeps of erf,
// GELU and its derivative, exp, sigmoid and tanh (the figures are printed), and scalar ≡ SIMD bits.
import {
  ERF_F32_ABS_TOL,
  F32_UNIT_ROUNDOFF,
  f32Ulp,
  geluF32Tolerance,
  geluGradF32Tolerance,
  Rng,
  ulpClose,
} from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  type Isa,
  type KernelInfo,
  type Kernels,
  kernelsOf,
  UNARY_F32_GRAD_READS,
  UNARY_F32_OPS,
  type UnaryOpF32,
  unaryF32,
  unaryGradF32,
} from '../src/index.js';
import { expectEach, LENGTHS, SPECIALS, sameBits } from './elementwise_cases.js';
import { buildFor, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

type Fwd = UnaryOpF32 | 'erf';
const FWD_OPS: Fwd[] = [...UNARY_F32_OPS, 'erf'];
const FLT_MIN = 2 ** -126;
const u = F32_UNIT_ROUNDOFF;

/** Where each op is worth testing (seeded). */
const DOMAIN: Record<Fwd, (rng: Rng) => number> = {
  neg: (r) => r.normal() * 10,
  exp: (r) => r.uniform(-92, 92),
  log: (r) => Math.exp(r.uniform(-100, 88)),
  sqrt: (r) => Math.exp(r.uniform(-100, 88)),
  rsqrt: (r) => Math.exp(r.uniform(-80, 80)),
  abs: (r) => r.normal() * 100,
  square: (r) => r.normal() * 100,
  relu: (r) => r.normal() * 3,
  gelu: (r) => (r.float() < 0.5 ? r.normal() * 3 : r.uniform(-12, 12)),
  sigmoid: (r) => (r.float() < 0.5 ? r.normal() * 4 : r.uniform(-100, 100)),
  tanh: (r) => (r.float() < 0.5 ? r.normal() : r.uniform(-12, 12)),
  hardswish: (r) => r.uniform(-5, 5),
  hardsigmoid: (r) => r.uniform(-5, 5),
  erf: (r) => r.uniform(-6, 6),
};

/** Forward acceptance (x, f64 reference, kernel value); null = bit-exact with the f32-rounded twin. */
const FWD_OK: Record<Fwd, ((x: number, r: number, g: number) => boolean) | null> = {
  neg: null,
  abs: null,
  square: null,
  relu: null,
  sqrt: null,
  exp: (_x, r, g) => ulpClose(r, g, 2, FLT_MIN), // exp_poly ≤ 2e−7 relative; subnormal results flushed
  log: (_x, r, g) => ulpClose(r, g, 1),
  rsqrt: (_x, r, g) => ulpClose(r, g, 2), // two roundings
  sigmoid: (_x, r, g) => ulpClose(r, g, 3, FLT_MIN), // exp, 1 + e, division
  tanh: (_x, r, g) => ulpClose(r, g, 3),
  hardswish: (_x, r, g) => ulpClose(r, g, 3), // x + 3, product, division
  // x/6 rounds before + ½, which cancels near x = −3: that first rounding counts absolutely.
  hardsigmoid: (x, r, g) => Math.abs(g - r) <= 0.5 * f32Ulp(r) + 2 * u * Math.abs(x / 6),
  gelu: (x, r, g) => Math.abs(g - r) <= geluF32Tolerance(x, r),
  erf: (_x, r, g) => Math.abs(g - r) <= ERF_F32_ABS_TOL,
};

/** Backward acceptance (x, dy, f64 reference, kernel value); null = bit-exact (one rounding). */
const GRAD_OK: Record<UnaryOpF32, ((x: number, dy: number, r: number, g: number) => boolean) | null> = {
  neg: null,
  exp: null,
  square: null,
  relu: null,
  abs: null,
  log: (_x, _dy, r, g) => ulpClose(r, g, 1), // dy/x against dy·(1/x)
  sqrt: (_x, _dy, r, g) => ulpClose(r, g, 1),
  rsqrt: (_x, _dy, r, g) => ulpClose(r, g, 2),
  sigmoid: (_x, _dy, r, g) => ulpClose(r, g, 3),
  tanh: (_x, _dy, r, g) => ulpClose(r, g, 3),
  hardswish: (_x, _dy, r, g) => ulpClose(r, g, 3),
  hardsigmoid: (_x, _dy, r, g) => ulpClose(r, g, 1),
  gelu: (_x, dy, r, g) => Math.abs(g - r) <= geluGradF32Tolerance(dy, r),
};

/** The documented departures from the TS loop (kernels/docs/unary_f32.md): gelu's limits at ±∞. */
function documentedForward(op: Fwd, x: number, g: number): boolean | undefined {
  if (op === 'gelu' && x === Number.NEGATIVE_INFINITY) return g <= 0 && g >= -6e-9;
  return undefined;
}

function forwardOk(op: Fwd, x: number, r: number, g: number): boolean {
  const doc = documentedForward(op, x, g);
  if (doc !== undefined) return doc;
  const rf = Math.fround(r);
  const ok = FWD_OK[op];
  if (ok === null || Number.isNaN(r) || !Number.isFinite(rf)) return sameBits(rf, g);
  return ok(x, r, g);
}

function gradOk(op: UnaryOpF32, x: number, dy: number, r: number, g: number): boolean {
  if (op === 'gelu' && (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY)) {
    // gelu'(±∞) is 1 (+∞) or −3.5e−8 (−∞) here, where the TS loop's ∞·0 gives NaN.
    return Math.abs(g - dy * (x > 0 ? 1 : 0)) <= Math.abs(dy) * 4e-8 + f32Ulp(dy);
  }
  const rf = Math.fround(r);
  const ok = GRAD_OK[op];
  if (ok === null || Number.isNaN(r) || !Number.isFinite(rf)) return sameBits(rf, g);
  // A subnormal intermediate (f'(x) below 2^−126) carries an absolute error of up to 2^−149 into dy·f'.
  return ok(x, dy, r, g) || Math.abs(g - r) <= Math.abs(dy) * 2 ** -148;
}

function inputs(op: Fwd, n: number, seed: number, withSpecials: boolean): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = DOMAIN[op](rng);
  if (withSpecials) for (let i = 0; i < n; i++) if (rng.float() < 0.1) x[i] = rng.pick(SPECIALS);
  return x;
}

function runForward(k: Kernels, info: KernelInfo, op: Fwd, x: Float32Array, seed: number, how: string) {
  const n = x.length;
  const gx = guarded(k, 'f32', n, x);
  const gy = guarded(k, 'f32', n);
  unaryF32(k, op, gx.buf, gy.buf, { isa: info.isa });
  gx.checkCanary(info.name);
  gy.checkCanary(info.name);
  const y = gy.buf.toArray();
  gx.free();
  gy.free();
  const want = ref.unaryF32(op, x);
  expectEach(
    n,
    (i) => forwardOk(op, x[i], want[i], y[i]),
    (i) => `reference=${want[i]}, optimized=${y[i]}, x=${x[i]}`,
    `${kernelLabel(info)}, n=${n}, ${how}, seed=${seed}`,
  );
  return y;
}

describe.each(FWD_OPS.flatMap((op) => kernelsOf(`${op}_f32`).map((info) => [info.name, op, info] as const)))(
  '%s',
  (_name, op, info) => {
    const k = buildFor(info)!;
    it('matches the f64 twin for every length 0–4099, with special values', () => {
      let seed = 1;
      for (const n of LENGTHS) {
        runForward(k, info, op, inputs(op, n, seed, false), seed, 'domain');
        seed++;
        runForward(k, info, op, inputs(op, n, seed, true), seed, 'with specials');
        seed++;
      }
      runForward(k, info, op, Float32Array.from(SPECIALS), 0, 'specials only');
    });

    it('works in place and at unaligned element offsets', () => {
      const n = 103;
      const x = inputs(op, n, 77, true);
      const want = ref.unaryF32(op, x);
      const where = `${kernelLabel(info)}, n=${n}, seed=77`;
      // In place: y is x.
      const g = guarded(k, 'f32', n, x);
      unaryF32(k, op, g.buf, g.buf, { isa: info.isa });
      g.checkCanary(info.name);
      const inPlace = g.buf.toArray();
      expectEach(
        n,
        (i) => forwardOk(op, x[i], want[i], inPlace[i]),
        (i) => `reference=${want[i]}, optimized=${inPlace[i]}`,
        `in place, ${where}`,
      );
      g.free();
      // Offsets 1 and 3 elements into larger buffers (pointers not 16-byte aligned).
      const gx = guarded(k, 'f32', n + 1);
      gx.buf.set(x, 1);
      const gy = guarded(k, 'f32', n + 3);
      unaryF32(k, op, gx.buf, gy.buf, { n, xOffset: 1, yOffset: 3, isa: info.isa });
      gy.checkCanary(info.name);
      const y = gy.buf.toArray();
      for (let i = 0; i < 3; i++) expect(y[i], `element ${i} before yOffset was written, ${where}`).toBeNaN();
      expectEach(
        n,
        (i) => forwardOk(op, x[i], want[i], y[i + 3]),
        (i) => `reference=${want[i]}, optimized=${y[i + 3]}`,
        `offsets 1/3, ${where}`,
      );
      gx.free();
      gy.free();
    });
  },
);

describe.each(
  UNARY_F32_OPS.flatMap((op) => kernelsOf(`${op}_grad_f32`).map((info) => [info.name, op, info] as const)),
)('%s', (_name, op, info) => {
  const k = buildFor(info)!;
  const reads = UNARY_F32_GRAD_READS[op];

  function runGrad(x: Float32Array, seed: number, how: string, inPlace: 'dy' | 'x' | 'y' | null = null) {
    const n = x.length;
    const rng = new Rng(seed + 1000);
    const dy = new Float32Array(n);
    for (let i = 0; i < n; i++) dy[i] = rng.normal() * 2;
    // y as the backend would save it: this build's f32 forward output.
    const gx = guarded(k, 'f32', n, x);
    const gy = guarded(k, 'f32', n);
    unaryF32(k, op, gx.buf, gy.buf);
    const y = gy.buf.toArray();
    const gdy = guarded(k, 'f32', n, dy);
    const gdx = inPlace === 'dy' ? gdy : inPlace === 'x' ? gx : inPlace === 'y' ? gy : guarded(k, 'f32', n);
    unaryGradF32(
      k,
      op,
      { x: reads.x ? gx.buf : null, y: reads.y ? gy.buf : null, dy: gdy.buf, dx: gdx.buf },
      { isa: info.isa },
    );
    for (const g of [gx, gy, gdy, gdx]) g.checkCanary(info.name);
    const dx = gdx.buf.toArray();
    for (const g of new Set([gx, gy, gdy, gdx])) g.free();
    const want = ref.unaryGradF32(op, x, y, dy);
    expectEach(
      n,
      (i) => gradOk(op, x[i], dy[i], want[i], dx[i]),
      (i) => `reference=${want[i]}, optimized=${dx[i]}, x=${x[i]}, y=${y[i]}, dy=${dy[i]}`,
      `${kernelLabel(info)}, n=${n}, ${how}, seed=${seed}`,
    );
  }

  it('matches the f64 twin for every length 0–4099', () => {
    let seed = 500;
    for (const n of LENGTHS) {
      const x = inputs(op, n, seed, false);
      if (op === 'log' || op === 'rsqrt') for (let i = 0; i < n; i++) x[i] = Math.max(x[i], 1e-30);
      runGrad(x, seed++, 'domain');
    }
  });

  it('works in place (dx is dy, or the input it reads)', () => {
    const x = inputs(op, 37, 9, false);
    runGrad(x, 9, 'dx = dy', 'dy');
    if (reads.x) runGrad(x, 9, 'dx = x', 'x');
    if (reads.y) runGrad(x, 9, 'dx = y', 'y');
  });

  it('takes special values', () => {
    const x = Float32Array.from(
      SPECIALS.filter((v) => !(op === 'log' || op === 'rsqrt' || op === 'sqrt') || v > 0),
    );
    runGrad(x, 3, 'specials');
  });
});

/** Max |kernel − f(x)| (and where) over x, for the release build's variant of `isa`. */
function sweep(op: Fwd, isa: Isa, x: Float32Array, err: (x: number, got: number) => number) {
  const k = releaseKernels();
  const gx = guarded(k, 'f32', x.length, x);
  const gy = guarded(k, 'f32', x.length);
  unaryF32(k, op, gx.buf, gy.buf, { isa });
  const y = gy.buf.toArray();
  gx.free();
  gy.free();
  let worst = 0;
  let at = 0;
  for (let i = 0; i < x.length; i++) {
    const e = err(x[i], y[i]);
    if (!(e <= worst)) {
      worst = e;
      at = x[i];
    }
  }
  return { worst, at };
}

function grid(lo: number, hi: number, n: number, extra: number[] = []): Float32Array {
  const x = new Float32Array(n + extra.length);
  for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
  x.set(extra, n);
  return x;
}

/** Every f32 in [0, 2^−10] in steps of 2^−30 and their negatives: erf and friends near 0. */
function nearZero(): number[] {
  const out: number[] = [];
  for (let i = 0; i <= 1 << 14; i++) out.push(i * 2 ** -24, -i * 2 ** -24);
  return out;
}

describe('accuracy on dense sweeps (simd128; scalar gives the same bits)', () => {
  it(`erf: |error| ≤ ${ERF_F32_ABS_TOL} on [−6, 6], ≤ 3 ulp near 0`, () => {
    const x = grid(-6, 6, 1 << 22, nearZero());
    const abs = sweep('erf', 'simd128', x, (v, g) => Math.abs(g - ref.erf(v)));
    const ulps = sweep('erf', 'simd128', x, (v, g) =>
      v === 0 ? 0 : Math.abs(g - ref.erf(v)) / f32Ulp(ref.erf(v)),
    );
    console.log(
      `erf_f32: max |error| = ${abs.worst.toExponential(3)} at z=${abs.at}; max ${ulps.worst.toFixed(2)} ulp at z=${ulps.at}`,
    );
    expect(abs.worst, `at z=${abs.at}`).toBeLessThanOrEqual(ERF_F32_ABS_TOL);
    expect(ulps.worst, `at z=${ulps.at}`).toBeLessThanOrEqual(3);
  });

  it('gelu: |error| ≤ ½ulp + |x|·1e−7 on [−10, 10] (the Φ it implies is within 1e−7)', () => {
    const x = grid(-10, 10, 1 << 22, nearZero());
    // Φ error implied: (|error| − ½ulp of the result) / |x|.
    const phi = sweep('gelu', 'simd128', x, (v, g) => {
      const r = ref.unaryF64('gelu', v);
      return v === 0 ? 0 : Math.max(0, Math.abs(g - r) - 0.5 * f32Ulp(r)) / Math.abs(v);
    });
    console.log(
      `gelu_f32: implied Φ error ≤ ${phi.worst.toExponential(3)} (erf ${(2 * phi.worst).toExponential(3)}) at x=${phi.at}`,
    );
    expect(phi.worst, `at x=${phi.at}`).toBeLessThanOrEqual(ERF_F32_ABS_TOL / 2);
  });

  it(`gelu': |error of 0.5(1 + erf(x/√2)) + x·φ(x)| ≤ ${ERF_F32_ABS_TOL} on [−10, 10]`, () => {
    const k = releaseKernels();
    const x = grid(-10, 10, 1 << 22, nearZero());
    const gx = guarded(k, 'f32', x.length, x);
    const gdy = guarded(k, 'f32', x.length);
    gdy.buf.fill(1);
    const gdx = guarded(k, 'f32', x.length);
    unaryGradF32(k, 'gelu', { x: gx.buf, dy: gdy.buf, dx: gdx.buf }, { isa: 'simd128' });
    const d = gdx.buf.toArray();
    for (const g of [gx, gdy, gdx]) g.free();
    let worst = 0;
    let at = 0;
    for (let i = 0; i < x.length; i++) {
      const e = Math.abs(d[i] - ref.unaryDerivativeF64('gelu', x[i], 0));
      if (!(e <= worst)) {
        worst = e;
        at = x[i];
      }
    }
    console.log(`gelu_grad_f32: max |error of gelu'| = ${worst.toExponential(3)} at x=${at}`);
    expect(worst, `at x=${at}`).toBeLessThanOrEqual(ERF_F32_ABS_TOL);
  });

  for (const [op, lo, hi, ulps] of [
    ['exp', -87.3, 88.7, 2],
    ['sigmoid', -87, 30, 3],
    ['tanh', -10, 10, 3],
  ] as const) {
    it(`${op}: ≤ ${ulps} ulp on [${lo}, ${hi}]`, () => {
      const x = grid(lo, hi, 1 << 21, nearZero());
      const s = sweep(op, 'simd128', x, (v, g) => {
        const r = ref.unaryF64(op, v);
        return Math.abs(g - r) / f32Ulp(r);
      });
      console.log(`${op}_f32: max ${s.worst.toFixed(2)} ulp at x=${s.at}`);
      expect(s.worst, `at x=${s.at}`).toBeLessThanOrEqual(ulps);
    });
  }
});

describe('scalar and SIMD give the same bits', () => {
  it('for every forward and backward op, on the domain and special values', () => {
    const k = releaseKernels();
    for (const op of FWD_OPS) {
      const x = inputs(op, 20011, 31, true);
      x.set(SPECIALS, 0);
      const outs = (['scalar', 'simd128'] as const).map((isa) => {
        const gx = guarded(k, 'f32', x.length, x);
        const gy = guarded(k, 'f32', x.length);
        unaryF32(k, op, gx.buf, gy.buf, { isa });
        const y = gy.buf.toArray();
        gx.free();
        gy.free();
        return y;
      });
      expectEach(
        x.length,
        (i) => sameBits(outs[0][i], outs[1][i]),
        (i) => `scalar=${outs[0][i]}, simd=${outs[1][i]}, x=${x[i]}`,
        `${op}_f32, seed=31`,
      );
      if (op === 'erf') continue;
      const dy = new Rng(32).f32Array(x.length, -3, 3);
      const grads = (['scalar', 'simd128'] as const).map((isa) => {
        const gx = guarded(k, 'f32', x.length, x);
        const gy = guarded(k, 'f32', x.length, outs[1]);
        const gdy = guarded(k, 'f32', x.length, dy);
        const gdx = guarded(k, 'f32', x.length);
        unaryGradF32(k, op, { x: gx.buf, y: gy.buf, dy: gdy.buf, dx: gdx.buf }, { isa });
        const dx = gdx.buf.toArray();
        for (const g of [gx, gy, gdy, gdx]) g.free();
        return dx;
      });
      expectEach(
        x.length,
        (i) => sameBits(grads[0][i], grads[1][i]),
        (i) => `scalar=${grads[0][i]}, simd=${grads[1][i]}, x=${x[i]}`,
        `${op}_grad_f32, seed=31`,
      );
    }
  });
});

describe('the scalar build', () => {
  it('carries every op, matching the twin', () => {
    const k = scalarKernels();
    for (const op of FWD_OPS) {
      const info = kernelsOf(`${op}_f32`).find((i) => i.isa === 'scalar')!;
      runForward(k, info, op, inputs(op, 257, 5, true), 5, 'scalar build');
    }
  });
});

describe('the checks can fail', () => {
  it('reject an exact op off by one ulp, erf off by 2.5e−7, gelu off by |x|·2e−7', () => {
    expect(forwardOk('relu', 1, 1, 1 + 2 ** -23)).toBe(false);
    expect(forwardOk('relu', -0, 0, -0)).toBe(false);
    expect(forwardOk('erf', 1, ref.erf(1), ref.erf(1) + 2.5e-7)).toBe(false);
    const r = ref.unaryF64('gelu', 3);
    expect(forwardOk('gelu', 3, r, r + 3 * 2e-7)).toBe(false);
    expect(forwardOk('exp', 1, Math.E, Math.E * (1 + 6 * u))).toBe(false);
    expect(gradOk('relu', 1, 2, 2, 2.0000005)).toBe(false);
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  it('names the op, the argument and what was expected', () => {
    const x = k.alloc('f32', 8);
    const y = k.alloc('f32', 8);
    const small = k.alloc('f32', 3);
    const i32 = k.alloc('i32', 8);
    expect(() => unaryF32(k, 'gelu', x, small)).toThrow(/gelu_f32: y is too small. Expected ≥ 8 elements/);
    expect(() => unaryF32(k, 'relu', i32, y)).toThrow(
      /relu_f32: x has the wrong dtype. Expected f32, got i32/,
    );
    expect(() => unaryF32(k, 'gelu' as UnaryOpF32, x, y, { n: 4, xOffset: 5 })).toThrow(
      /gelu_f32: x is too small. Expected ≥ 9 elements \(xOffset \+ n\)/,
    );
    expect(() => unaryF32(k, 'swish' as UnaryOpF32, x, y)).toThrow(/unary_f32: unknown op "swish"/);
    expect(() => unaryF32(k, 'exp', x, y, { n: 4, yOffset: 1 })).not.toThrow();
    const shifted = new (x.constructor as typeof import('../src/index.js').KBuf)(
      k.arena,
      'f32',
      7,
      x.ptr + 4,
    );
    expect(() => unaryF32(k, 'exp', x, shifted, { n: 7 })).toThrow(
      /exp_f32: x and y overlap without starting at the same element/,
    );
    expect(() => unaryGradF32(k, 'sigmoid', { dy: x, dx: y })).toThrow(/sigmoid_grad_f32: y is missing/);
    expect(() => unaryGradF32(k, 'gelu', { dy: x, dx: y })).toThrow(/gelu_grad_f32: x is missing/);
    expect(() => unaryGradF32(k, 'neg', { dy: x, dx: y })).not.toThrow();
    for (const b of [x, y, small, i32]) b.release();
  });
});
