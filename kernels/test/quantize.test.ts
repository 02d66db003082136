import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  dequantizeI8F32,
  dequantizeI8F32PerChannel,
  fakeQuantF32,
  type KernelInfo,
  type Kernels,
  kernelsOf,
  quantizeF32I8,
  quantizeF32I8PerChannel,
  type Rounding,
  requantizeI32I8,
  requantizeI32I8PerChannel,
} from '../src/index.js';
import { buildFor, firstMismatch, guarded, kernelLabel, scalarKernels } from './harness.js';

const SIZES = [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 1000];

/** Values that probe the rounding rule at scale S: exact .5 ties, NaN, ±∞, huge, ±0. */
function probeValues(rng: Rng, n: number, scale: number): Float32Array {
  const x = new Float32Array(n);
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, 0, -0];
  for (let i = 0; i < n; i++) {
    const r = rng.float();
    if (r < 0.3)
      x[i] = (rng.int(-300, 300) + 0.5) * scale; // exact ties
    else if (r < 0.4) x[i] = rng.pick(specials);
    else x[i] = rng.uniform(-200, 200) * scale;
  }
  return x;
}

function expectSame(
  what: string,
  info: KernelInfo,
  refv: ArrayLike<number>,
  opt: ArrayLike<number>,
  extra: string,
) {
  const i = firstMismatch(refv, opt);
  if (i >= 0) {
    throw new Error(
      `${what} at ${i}: reference=${refv[i]}, optimized=${opt[i]}, ${kernelLabel(info)}, n=${refv.length}, ${extra}`,
    );
  }
}

function forEachKernel(op: string, body: (k: Kernels, info: KernelInfo) => void) {
  describe.each(kernelsOf(op).map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info);
    it.skipIf(k === null)('matches the reference twin bit for bit', () => body(k!, info));
  });
}

forEachKernel('quantize_f32_i8', (k, info) => {
  const rng = new Rng(1);
  const params: [number, number, number, number, Rounding][] = [
    [0.05, 0, -128, 127, 'nearest'],
    [0.05, -128, -128, 127, 'nearest'], // zero_point = −128 (uint8-like range)
    [0.05, 127, -128, 127, 'nearest'], // zero_point = 127
    [1, 3, -5, 5, 'nearest'], // narrow qmin/qmax sweep
    [0.5, 0, 0, 0, 'nearest'], // qmax = 0 = qmin
    [0.05, 0, -127, 127, 'floor'],
    [0.25, 10, -100, 50, 'floor'],
  ];
  for (const n of SIZES) {
    for (const [scale, zp, qmin, qmax, rounding] of params) {
      const x = probeValues(rng, n, scale);
      const gx = guarded(k, 'f32', n, x);
      const gy = guarded(k, 'i8', n);
      quantizeF32I8(k, gx.buf, gy.buf, { scale, zeroPoint: zp, qmin, qmax, rounding, isa: info.isa });
      gy.checkCanary(info.name);
      gx.checkCanary(info.name);
      const want = ref.quantizeF32I8(x, {
        scale,
        zeroPoint: zp,
        qmin,
        qmax,
        rounding: rounding === 'floor' ? 1 : 0,
      });
      expectSame('quantize', info, want, gy.buf.view(), `S=${scale} Z=${zp} q=[${qmin},${qmax}] ${rounding}`);
      gx.free();
      gy.free();
    }
  }
});

forEachKernel('quantize_f32_i8_pc', (k, info) => {
  const rng = new Rng(2);
  const layouts = [
    [1, 5, 17], // channels = rows (conv/linear weights [out][in])
    [9, 17, 1], // channels on the last axis ([K][N] weights)
    [3, 4, 1],
    [2, 3, 16],
    [1, 1, 1],
    [4, 33, 1],
  ];
  for (const [outer, channels, inner] of layouts) {
    for (const sym of [true, false]) {
      const n = outer * channels * inner;
      const scales = Float32Array.from({ length: channels }, () => rng.uniform(0.01, 0.2));
      const zps = sym ? null : Int32Array.from({ length: channels }, () => rng.int(-20, 20));
      const x = probeValues(rng, n, 0.1);
      const gx = guarded(k, 'f32', n, x);
      const gy = guarded(k, 'i8', n);
      const gs = guarded(k, 'f32', channels, scales);
      const gz = zps ? guarded(k, 'i32', channels, zps) : null;
      quantizeF32I8PerChannel(k, gx.buf, gy.buf, { outer, channels, inner }, gs.buf, gz?.buf ?? null, {
        qmin: -127,
        qmax: 127,
        isa: info.isa,
      });
      gy.checkCanary(info.name);
      const want = ref.quantizeF32I8PerChannel(x, outer, channels, inner, scales, zps, -127, 127);
      expectSame('quantize per channel', info, want, gy.buf.view(), `layout=${outer}×${channels}×${inner}`);
      for (const g of [gx, gy, gs, gz]) g?.free();
    }
  }
});

forEachKernel('dequantize_i8_f32', (k, info) => {
  const rng = new Rng(3);
  for (const n of SIZES) {
    for (const zp of [-128, 0, 7, 127]) {
      const q = rng.i8Array(n);
      const gq = guarded(k, 'i8', n, q);
      const gy = guarded(k, 'f32', n);
      dequantizeI8F32(k, gq.buf, gy.buf, { scale: 0.037, zeroPoint: zp, isa: info.isa });
      gy.checkCanary(info.name);
      expectSame('dequantize', info, ref.dequantizeI8F32(q, 0.037, zp), gy.buf.view(), `Z=${zp}`);
      gq.free();
      gy.free();
    }
  }
});

forEachKernel('dequantize_i8_f32_pc', (k, info) => {
  const rng = new Rng(4);
  for (const [outer, channels, inner] of [
    [1, 3, 33],
    [5, 7, 1],
    [2, 2, 16],
  ]) {
    const n = outer * channels * inner;
    const q = rng.i8Array(n);
    const scales = Float32Array.from({ length: channels }, () => rng.uniform(0.001, 1));
    const zps = Int32Array.from({ length: channels }, () => rng.int(-128, 127));
    const gq = guarded(k, 'i8', n, q);
    const gy = guarded(k, 'f32', n);
    const gs = guarded(k, 'f32', channels, scales);
    const gz = guarded(k, 'i32', channels, zps);
    dequantizeI8F32PerChannel(k, gq.buf, gy.buf, { outer, channels, inner }, gs.buf, gz.buf, {
      isa: info.isa,
    });
    gy.checkCanary(info.name);
    const want = ref.dequantizeI8F32PerChannel(q, outer, channels, inner, scales, zps);
    expectSame('dequantize per channel', info, want, gy.buf.view(), `layout=${outer}×${channels}×${inner}`);
    for (const g of [gq, gy, gs, gz]) g.free();
  }
});

forEachKernel('fake_quant_f32', (k, info) => {
  const rng = new Rng(5);
  for (const n of SIZES) {
    for (const [zp, qmin, qmax, rounding] of [
      [0, -128, 127, 'nearest'],
      [-128, -128, 127, 'nearest'],
      [0, -127, 127, 'floor'],
      [2, -3, 3, 'nearest'],
    ] as const) {
      const x = probeValues(rng, n, 0.02);
      const gx = guarded(k, 'f32', n, x);
      const gy = guarded(k, 'f32', n);
      const gm = guarded(k, 'u8', n);
      fakeQuantF32(k, gx.buf, gy.buf, gm.buf, {
        scale: 0.02,
        zeroPoint: zp,
        qmin,
        qmax,
        rounding,
        isa: info.isa,
      });
      gy.checkCanary(info.name);
      gm.checkCanary(info.name);
      const want = ref.fakeQuantF32(x, {
        scale: 0.02,
        zeroPoint: zp,
        qmin,
        qmax,
        rounding: rounding === 'floor' ? 1 : 0,
      });
      expectSame('fake quant value', info, want.y, gy.buf.view(), `Z=${zp} ${rounding}`);
      expectSame('fake quant mask', info, want.mask, gm.buf.view(), `Z=${zp} ${rounding}`);
      // Without a mask buffer the kernel must not write one.
      fakeQuantF32(k, gx.buf, gy.buf, null, {
        scale: 0.02,
        zeroPoint: zp,
        qmin,
        qmax,
        rounding,
        isa: info.isa,
      });
      expectSame('fake quant value (no mask)', info, want.y, gy.buf.view(), `Z=${zp}`);
      for (const g of [gx, gy, gm]) g.free();
    }
  }
});

forEachKernel('requantize_i32_i8', (k, info) => {
  const rng = new Rng(6);
  for (const n of SIZES) {
    for (const [mult, shift, zp, qmin, qmax] of [
      [1 << 30, 38, 0, -128, 127],
      [2 ** 31 - 1, 31, -128, -128, 127], // largest multiplier, smallest SIMD shift
      [1518500250, 45, 5, -128, 127],
      [123456789, 20, 0, -128, 127], // shift < 31: values beyond i32 before the clamp
      [1 << 30, 1, 127, -128, 127],
      [1 << 30, 62, 0, -128, 127],
      [0, 31, 3, -10, 10],
    ]) {
      const acc = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const r = rng.float();
        // Exact ties: acc·mult = (2j+1)·2^(shift−1) happens for mult = 2^30 and acc odd multiples.
        acc[i] = r < 0.1 ? rng.pick([2 ** 31 - 1, -(2 ** 31), 0, 1, -1]) : rng.int(-(2 ** 20), 2 ** 20);
      }
      const ga = guarded(k, 'i32', n, acc);
      const gy = guarded(k, 'i8', n);
      requantizeI32I8(k, ga.buf, gy.buf, mult, { shift, zeroPoint: zp, qmin, qmax, isa: info.isa });
      gy.checkCanary(info.name);
      const want = ref.requantizeI32I8(acc, mult, shift, zp, qmin, qmax);
      expectSame('requantize', info, want, gy.buf.view(), `M=${mult} shift=${shift} Z=${zp}`);
      ga.free();
      gy.free();
    }
  }
});

forEachKernel('requantize_i32_i8_pc', (k, info) => {
  const rng = new Rng(7);
  for (const [rows, channels] of [
    [1, 1],
    [3, 5],
    [4, 16],
    [7, 17],
    [2, 255],
  ]) {
    for (const shift of [31, 36, 24]) {
      const n = rows * channels;
      const acc = rng.i32Array(n, -(2 ** 22), 2 ** 22);
      const mults = rng.i32Array(channels, 2 ** 29, 2 ** 31 - 1);
      const ga = guarded(k, 'i32', n, acc);
      const gy = guarded(k, 'i8', n);
      const gm = guarded(k, 'i32', channels, mults);
      requantizeI32I8PerChannel(k, ga.buf, gy.buf, rows, channels, gm.buf, {
        shift,
        zeroPoint: -3,
        isa: info.isa,
      });
      gy.checkCanary(info.name);
      const want = ref.requantizeI32I8PerChannel(acc, rows, channels, mults, shift, -3, -128, 127);
      expectSame(
        'requantize per channel',
        info,
        want,
        gy.buf.view(),
        `rows=${rows} C=${channels} shift=${shift}`,
      );
      for (const g of [ga, gy, gm]) g.free();
    }
  }
});

describe('ties-to-even and NaN', () => {
  it('rounds exact .5 ties to even, unlike Math.round', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5].map(ref.roundHalfEven)).toEqual([-2, -2, -0, 0, 2, 2]);
    expect(ref.roundHalfEven(Number.NaN)).toBe(0);
  });

  it('quantizes NaN to the zero point and saturates infinities', () => {
    const k = scalarKernels();
    const gx = guarded(k, 'f32', 3, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const gy = guarded(k, 'i8', 3);
    quantizeF32I8(k, gx.buf, gy.buf, { scale: 0.1, zeroPoint: 5 });
    expect([...gy.buf.view()]).toEqual([5, 127, -128]);
  });

  it('the floor option is biased by −S/2 on average, round-to-nearest is not', () => {
    const rng = new Rng(8);
    const x = rng.f32Array(20000, -5, 5);
    const s = 0.1;
    const mean = (mode: 0 | 1) => {
      const q = ref.quantizeF32I8(x, { scale: s, zeroPoint: 0, qmin: -128, qmax: 127, rounding: mode });
      let d = 0;
      for (let i = 0; i < x.length; i++) d += q[i] * s - x[i];
      return d / x.length;
    };
    expect(Math.abs(mean(0))).toBeLessThan(0.05 * s);
    expect(mean(1)).toBeCloseTo(-s / 2, 2);
  });
});

describe('the scalar build', () => {
  it('loads and quantizes like the reference', () => {
    const k = scalarKernels();
    expect(k.isa).toBe('scalar');
    const x = new Rng(9).f32Array(100, -3, 3);
    const gx = guarded(k, 'f32', 100, x);
    const gy = guarded(k, 'i8', 100);
    quantizeF32I8(k, gx.buf, gy.buf, { scale: 0.03 });
    expect(
      firstMismatch(
        ref.quantizeF32I8(x, { scale: 0.03, zeroPoint: 0, qmin: -128, qmax: 127 }),
        gy.buf.view(),
      ),
    ).toBe(-1);
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  it('names the argument and what was expected', () => {
    const x = k.alloc('f32', 4);
    const y = k.alloc('i8', 3);
    expect(() => quantizeF32I8(k, x, y, { scale: 0.1 })).toThrow(
      /quantize_f32_i8: y is too small. Expected ≥ 4/,
    );
    expect(() => quantizeF32I8(k, x, x, { scale: 0.1 }, 3)).toThrow(
      /y has the wrong dtype. Expected i8, got f32/,
    );
    expect(() => quantizeF32I8(k, x, y, { scale: 0 }, 3)).toThrow(/scale must be a finite number > 0/);
    expect(() => quantizeF32I8(k, x, y, { scale: 1, zeroPoint: 200 }, 3)).toThrow(
      /zeroPoint is out of range/,
    );
    expect(() => quantizeF32I8(k, x, y, { scale: 1, rounding: 'up' as Rounding }, 3)).toThrow(
      /unknown rounding/,
    );
    x.release();
    y.release();
  });
});
