// binary_f32.test.ts — every binary_f32 kernel in the manifest (scalar and SIMD) against the f64 twin
// in kernels/ref/binary_f32.ts: all eight op codes in the four layouts, lengths and row widths at the
// loop edges, special values (NaN, ±∞, ±0, subnormals, division by zero), in place and unaligned
// offsets; axpy and affine within their two-rounding bound; and binaryBroadcastF32 against
// ArrayBackend.binary's strided loop. Outputs NaN-poisoned, canaries checked.
import { mulAddF32Tolerance, Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  affineF32,
  axpyF32,
  BINARY_F32_OPS,
  type BinaryOpF32,
  binaryBroadcastF32,
  binaryColF32,
  binaryF32,
  binaryRowF32,
  binaryScalarF32,
  type KBuf,
  type Kernels,
  kernelsOf,
} from '../src/index.js';
import { expectEach, LENGTHS, SPECIALS, sameBits } from './elementwise_cases.js';
import { buildFor, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

/** Normal values with ~8% specials (and zeros, so that division by ±0 happens). */
function values(n: number, seed: number, scale = 3): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = rng.float();
    x[i] = p < 0.06 ? rng.pick(SPECIALS) : p < 0.08 ? rng.pick([0, -0]) : rng.normal() * scale;
  }
  return x;
}

/** One IEEE operation per element: the kernel must give the f32-rounded f64 result, bit for bit. */
function expectExact(
  want: Float64Array,
  got: ArrayLike<number>,
  describe: (i: number) => string,
  where: string,
) {
  expectEach(
    want.length,
    (i) => sameBits(Math.fround(want[i]), got[i]),
    (i) => `reference=${want[i]}, optimized=${got[i]}, ${describe(i)}`,
    where,
  );
}

/** Within tol, or — when the exact result is beyond the f32 range — the same infinity. */
function closeOrOverflow(want: number, got: number, tol: number): boolean {
  const wf = Math.fround(want);
  if (!Number.isFinite(wf)) return sameBits(wf, got);
  return Math.abs(got - want) <= tol;
}

const ROWS = [1, 2, 3, 7, 17];
const COLS = [1, 2, 3, 4, 5, 15, 16, 17, 33, 64, 65, 160, 256];

describe.each(kernelsOf('binary_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it('matches the twin bit for bit for every op and length, with special values', () => {
    let seed = 1;
    for (const op of BINARY_F32_OPS) {
      for (const n of LENGTHS) {
        const a = values(n, seed++);
        const b = values(n, seed++);
        const ga = guarded(k, 'f32', n, a);
        const gb = guarded(k, 'f32', n, b);
        const go = guarded(k, 'f32', n);
        binaryF32(k, op, ga.buf, gb.buf, go.buf, { isa: info.isa });
        for (const g of [ga, gb, go]) g.checkCanary(info.name);
        expectExact(
          ref.binaryF32(op, a, b),
          go.buf.view(),
          (i) => `a=${a[i]}, b=${b[i]}`,
          `${kernelLabel(info)}, op=${op}, n=${n}, seed=${seed - 2}`,
        );
        for (const g of [ga, gb, go]) g.free();
      }
    }
  });
  it('works in place (out is a, out is b) and at unaligned offsets', () => {
    for (const op of BINARY_F32_OPS) {
      const n = 71;
      const a = values(n, 5);
      const b = values(n, 6);
      const want = ref.binaryF32(op, a, b);
      for (const which of ['a', 'b'] as const) {
        const ga = guarded(k, 'f32', n, a);
        const gb = guarded(k, 'f32', n, b);
        binaryF32(k, op, ga.buf, gb.buf, which === 'a' ? ga.buf : gb.buf, { isa: info.isa });
        const got = (which === 'a' ? ga : gb).buf.toArray();
        expectExact(
          want,
          got,
          (i) => `a=${a[i]}, b=${b[i]}`,
          `${kernelLabel(info)}, op=${op}, out = ${which}`,
        );
        ga.free();
        gb.free();
      }
      const ga = guarded(k, 'f32', n + 3);
      ga.buf.set(a, 3);
      const gb = guarded(k, 'f32', n + 1);
      gb.buf.set(b, 1);
      const go = guarded(k, 'f32', n + 2);
      binaryF32(k, op, ga.buf, gb.buf, go.buf, { n, aOffset: 3, bOffset: 1, outOffset: 2, isa: info.isa });
      go.checkCanary(info.name);
      const got = go.buf.toArray();
      expect(Number.isNaN(got[0]) && Number.isNaN(got[1]), 'wrote before outOffset').toBe(true);
      expectExact(
        want,
        got.subarray(2),
        (i) => `a=${a[i]}, b=${b[i]}`,
        `${kernelLabel(info)}, op=${op}, offsets 3/1/2`,
      );
      for (const g of [ga, gb, go]) g.free();
    }
  });
});

for (const [form, wrapper, twin] of [
  ['binary_row_f32', binaryRowF32, ref.binaryRowF32],
  ['binary_col_f32', binaryColF32, ref.binaryColF32],
] as const) {
  describe.each(kernelsOf(form).map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info)!;
    it('matches the twin bit for bit for every op and rows × cols at the edges', () => {
      let seed = 100;
      for (const op of BINARY_F32_OPS) {
        for (const rows of ROWS) {
          for (const cols of COLS) {
            const nb = form === 'binary_row_f32' ? cols : rows;
            const a = values(rows * cols, seed++);
            const b = values(nb, seed++);
            const ga = guarded(k, 'f32', a.length, a);
            const gb = guarded(k, 'f32', nb, b);
            const go = guarded(k, 'f32', a.length);
            wrapper(k, op, ga.buf, gb.buf, go.buf, { rows, cols, isa: info.isa });
            for (const g of [ga, gb, go]) g.checkCanary(info.name);
            expectExact(
              twin(op, a, b, rows, cols),
              go.buf.view(),
              (i) =>
                `(r, c)=(${Math.floor(i / cols)}, ${i % cols}), a=${a[i]}, b=${b[form === 'binary_row_f32' ? i % cols : Math.floor(i / cols)]}`,
              `${kernelLabel(info)}, op=${op}, rows×cols=${rows}×${cols}, seed=${seed - 2}`,
            );
            for (const g of [ga, gb, go]) g.free();
          }
        }
      }
    });
    it('works in place (out is a), at unaligned offsets, and with rows or cols = 0', () => {
      const rows = 5;
      const cols = 19;
      const nb = form === 'binary_row_f32' ? cols : rows;
      for (const op of ['sub', 'rdiv', 'max'] as BinaryOpF32[]) {
        const a = values(rows * cols, 7);
        const b = values(nb, 8);
        const want = twin(op, a, b, rows, cols);
        const ga = guarded(k, 'f32', a.length, a);
        const gb = guarded(k, 'f32', nb, b);
        wrapper(k, op, ga.buf, gb.buf, ga.buf, { rows, cols, isa: info.isa });
        expectExact(want, ga.buf.view(), () => '', `${kernelLabel(info)}, op=${op}, in place`);
        ga.free();
        gb.free();
        const ga2 = guarded(k, 'f32', a.length + 1);
        ga2.buf.set(a, 1);
        const gb2 = guarded(k, 'f32', nb + 3);
        gb2.buf.set(b, 3);
        const go = guarded(k, 'f32', a.length + 2);
        wrapper(k, op, ga2.buf, gb2.buf, go.buf, {
          rows,
          cols,
          aOffset: 1,
          bOffset: 3,
          outOffset: 2,
          isa: info.isa,
        });
        go.checkCanary(info.name);
        expectExact(want, go.buf.toArray().subarray(2), () => '', `${kernelLabel(info)}, op=${op}, offsets`);
        for (const g of [ga2, gb2, go]) g.free();
      }
      for (const [rows0, cols0] of [
        [0, 7],
        [4, 0],
      ]) {
        const go = guarded(k, 'f32', 4);
        const gb = guarded(k, 'f32', 8, values(8, 1));
        wrapper(k, 'add', gb.buf, gb.buf, go.buf, { rows: rows0, cols: cols0, isa: info.isa });
        go.checkCanary(info.name);
        expect([...go.buf.view()].every(Number.isNaN), `rows×cols=${rows0}×${cols0} wrote something`).toBe(
          true,
        );
        go.free();
        gb.free();
      }
    });
  });
}

describe.each(kernelsOf('binary_scalar_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info)!;
    it('matches the twin bit for bit for every op, length and special scalar', () => {
      let seed = 300;
      for (const op of BINARY_F32_OPS) {
        for (const s of [2.5, -0.75, 0, -0, Number.POSITIVE_INFINITY, Number.NaN, 1e-40, 3e38]) {
          for (const n of [0, 1, 3, 4, 5, 16, 17, 33, 255, 1000]) {
            const a = values(n, seed++);
            const ga = guarded(k, 'f32', n, a);
            const go = guarded(k, 'f32', n);
            binaryScalarF32(k, op, ga.buf, s, go.buf, { isa: info.isa });
            go.checkCanary(info.name);
            expectExact(
              ref.binaryScalarF32(op, a, Math.fround(s)),
              go.buf.view(),
              (i) => `a=${a[i]}`,
              `${kernelLabel(info)}, op=${op}, s=${s}, n=${n}, seed=${seed - 1}`,
            );
            ga.free();
            go.free();
          }
        }
      }
    });
  },
);

describe.each(kernelsOf('axpy_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it('y + 1·x is y + x bit for bit; other α within two roundings', () => {
    let seed = 400;
    for (const alpha of [1, -1, 0.5, 1 / 3, -2.7, 0]) {
      for (const n of LENGTHS) {
        const x = values(n, seed++, 2).map((v) => (Number.isFinite(v) ? v : 0.5));
        const y = values(n, seed++, 2).map((v) => (Number.isFinite(v) ? v : -0.25));
        const gx = guarded(k, 'f32', n, x);
        const gy = guarded(k, 'f32', n, y);
        axpyF32(k, gx.buf, gy.buf, alpha, { isa: info.isa });
        gx.checkCanary(info.name);
        gy.checkCanary(info.name);
        const got = gy.buf.toArray();
        const want = ref.axpyF32(x, y, alpha);
        const where = `${kernelLabel(info)}, alpha=${alpha}, n=${n}, seed=${seed - 2}`;
        if (alpha === 1) expectExact(ref.binaryF32('add', y, x), got, (i) => `x=${x[i]}, y=${y[i]}`, where);
        else
          expectEach(
            n,
            (i) => closeOrOverflow(want[i], got[i], mulAddF32Tolerance(alpha * x[i], y[i], want[i])),
            (i) => `reference=${want[i]}, optimized=${got[i]}, x=${x[i]}, y=${y[i]}`,
            where,
          );
        gx.free();
        gy.free();
      }
    }
  });
  it('works with x = y (y += α·y)', () => {
    const y = values(37, 9).map((v) => (Number.isFinite(v) ? v : 1));
    const g = guarded(k, 'f32', 37, y);
    axpyF32(k, g.buf, g.buf, 0.5, { isa: info.isa });
    const want = ref.axpyF32(y, y, 0.5);
    expectEach(
      37,
      (i) => Math.abs(g.buf.view()[i] - want[i]) <= mulAddF32Tolerance(0.5 * y[i], y[i], want[i]),
      (i) => `reference=${want[i]}, optimized=${g.buf.view()[i]}`,
      `${kernelLabel(info)}, x = y`,
    );
    g.free();
  });
});

describe.each(kernelsOf('affine_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it('x·scale + shift within two roundings (scale, shift rounded to f32), in place too', () => {
    let seed = 500;
    for (const [scale, shift] of [
      [1, 0],
      [-1, 0],
      [1 / 3, 0.1],
      [2.5, -7],
      [1e-3, 1],
      [0, 4],
    ]) {
      for (const n of LENGTHS) {
        const x = values(n, seed++, 5).map((v) => (Number.isFinite(v) ? v : 2));
        const gx = guarded(k, 'f32', n, x);
        const inPlace = n % 2 === 1;
        const gy = inPlace ? gx : guarded(k, 'f32', n);
        affineF32(k, gx.buf, gy.buf, scale, shift, { isa: info.isa });
        gy.checkCanary(info.name);
        const got = gy.buf.toArray();
        const want = ref.affineF32(x, scale, shift);
        expectEach(
          n,
          (i) => closeOrOverflow(want[i], got[i], mulAddF32Tolerance(x[i] * scale, shift, want[i])),
          (i) => `reference=${want[i]}, optimized=${got[i]}, x=${x[i]}`,
          `${kernelLabel(info)}, scale=${scale}, shift=${shift}, n=${n}${inPlace ? ', in place' : ''}, seed=${seed - 1}`,
        );
        gx.free();
        if (!inPlace) gy.free();
      }
    }
  });
});

describe('binaryBroadcastF32 (ArrayBackend.binary arguments)', () => {
  const k = releaseKernels();
  const stridesOf = (shape: number[]) => {
    const s = new Array<number>(shape.length);
    let p = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      s[d] = shape[d] === 1 ? 0 : p;
      p *= shape[d];
    }
    return s;
  };
  /** Strides of `operand` broadcast to `shape` (numpy rules, right-aligned). */
  const bstrides = (operand: number[], shape: number[]) => {
    const own = stridesOf(operand);
    return shape.map((_, d) => {
      const od = d - (shape.length - operand.length);
      return od < 0 ? 0 : operand[od] === 1 ? 0 : own[od];
    });
  };
  const cases: {
    name: string;
    a: number[];
    b: number[];
    shape: number[];
    handled: boolean;
    aT?: number[];
  }[] = [
    { name: 'same shape', a: [6, 37], b: [6, 37], shape: [6, 37], handled: true },
    { name: 'bias [N,C] + [C]', a: [50, 33], b: [33], shape: [50, 33], handled: true },
    { name: '[C] − [N,C] (a broadcast)', a: [33], b: [50, 33], shape: [50, 33], handled: true },
    { name: 'per-row [N,C] ∘ [N,1]', a: [41, 9], b: [41, 1], shape: [41, 9], handled: true },
    { name: '[N,1] ∘ [N,C]', a: [41, 1], b: [41, 9], shape: [41, 9], handled: true },
    { name: 'per-batch [B,N,C] ∘ [B,1,C]', a: [3, 10, 17], b: [3, 1, 17], shape: [3, 10, 17], handled: true },
    { name: 'NHWC ∘ [C]', a: [2, 5, 7, 16], b: [16], shape: [2, 5, 7, 16], handled: true },
    { name: 'scalar tensor', a: [4, 9], b: [1], shape: [4, 9], handled: true },
    { name: 'scalar on the left', a: [], b: [3, 3, 5], shape: [3, 3, 5], handled: true },
    { name: '0-d', a: [], b: [], shape: [], handled: true },
    { name: 'size-1 axes everywhere', a: [1, 8, 1, 5], b: [1, 1, 1, 5], shape: [1, 8, 1, 5], handled: true },
    { name: 'outer product [N,1] ∘ [1,C]', a: [7, 1], b: [1, 6], shape: [7, 6], handled: false },
    {
      name: '[B,1,C] ∘ [1,N,C] (a row per outer index)',
      a: [4, 1, 6],
      b: [1, 5, 6],
      shape: [4, 5, 6],
      handled: true,
    },
    {
      name: 'transposed a (strides [1, 4])',
      a: [6, 4],
      b: [4, 6],
      shape: [4, 6],
      handled: false,
      aT: [1, 4],
    },
  ];
  it.each(cases)('$name', ({ a: aShape, b: bShape, shape, handled, aT }) => {
    const na = aShape.reduce((p, s) => p * s, 1);
    const nb = bShape.reduce((p, s) => p * s, 1);
    const total = shape.reduce((p, s) => p * s, 1);
    const aStr = aT ?? bstrides(aShape, shape);
    const bStr = bstrides(bShape, shape);
    for (const op of ['sub', 'div', 'mul', 'min'] as BinaryOpF32[]) {
      const a = values(na, 11);
      const b = values(nb, 12);
      const ga = guarded(k, 'f32', na, a);
      const gb = guarded(k, 'f32', nb, b);
      const go = guarded(k, 'f32', total);
      const did = binaryBroadcastF32(k, op, ga.buf, aStr, gb.buf, bStr, go.buf, shape);
      for (const g of [ga, gb, go]) g.checkCanary('binaryBroadcastF32');
      expect(did, `op=${op} shape=[${shape}] a strides [${aStr}] b strides [${bStr}]`).toBe(handled);
      if (handled) {
        expectExact(
          ref.binaryStridedF32(op, a, aStr, b, bStr, shape),
          go.buf.view(),
          () => '',
          `op=${op}, shape=[${shape}]`,
        );
      } else {
        expect([...go.buf.view()].every(Number.isNaN), 'an unhandled pattern wrote to out').toBe(true);
      }
      for (const g of [ga, gb, go]) g.free();
    }
  });
  it('honours element offsets and rejects strides that do not match the shape', () => {
    const a = values(40, 1);
    const b = values(8, 2);
    const ga = guarded(k, 'f32', 43);
    ga.buf.set(a, 3);
    const gb = guarded(k, 'f32', 9);
    gb.buf.set(b, 1);
    const go = guarded(k, 'f32', 42);
    expect(
      binaryBroadcastF32(k, 'add', ga.buf, [8, 1], gb.buf, [0, 1], go.buf, [5, 8], {
        aOffset: 3,
        bOffset: 1,
        outOffset: 2,
      }),
    ).toBe(true);
    expectExact(ref.binaryRowF32('add', a, b, 5, 8), go.buf.toArray().subarray(2), () => '', 'offsets');
    expect(() => binaryBroadcastF32(k, 'add', ga.buf, [8], gb.buf, [0, 1], go.buf, [5, 8])).toThrow(
      /strides do not match the shape/,
    );
    for (const g of [ga, gb, go]) g.free();
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  it('names the op, the argument and what was expected', () => {
    const a = k.alloc('f32', 12);
    const b = k.alloc('f32', 12);
    const small = k.alloc('f32', 3);
    expect(() => binaryF32(k, 'add', a, small, b)).toThrow(
      /binary_f32: b is too small. Expected ≥ 12 elements \(n\)/,
    );
    expect(() => binaryF32(k, 'pow' as BinaryOpF32, a, b, b)).toThrow(/binary_f32: unknown op "pow"/);
    expect(() => binaryRowF32(k, 'add', a, small, b, { rows: 3, cols: 4 })).toThrow(
      /binary_row_f32: b is too small. Expected ≥ 4 elements \(cols\)/,
    );
    expect(() => binaryColF32(k, 'add', a, small, b, { rows: 4, cols: 3 })).toThrow(
      /binary_col_f32: b is too small. Expected ≥ 4 elements \(rows\)/,
    );
    expect(() => binaryRowF32(k, 'add', a, a, a, { rows: 3, cols: 4 })).toThrow(
      /binary_row_f32: b and out overlap \(b is read again for every row\)/,
    );
    expect(() => binaryRowF32(k, 'add', a, b, a, { rows: -1, cols: 4 })).toThrow(/rows is out of range/);
    const shifted = new (a.constructor as typeof import('../src/index.js').KBuf)(
      k.arena,
      'f32',
      11,
      a.ptr + 4,
    );
    expect(() => binaryF32(k, 'add', a, b, shifted, { n: 11 })).toThrow(
      /a and out overlap without starting at the same element/,
    );
    expect(() => axpyF32(k, a, b, Number.NaN)).toThrow(/axpy_f32: alpha must be a finite number/);
    expect(() => affineF32(k, a, small, 2, 1)).toThrow(/affine_f32: y is too small/);
    for (const x of [a, b, small] as KBuf[]) x.release();
  });
});

describe('scalar and SIMD give the same bits (axpy, affine)', () => {
  it('on 10007 elements', () => {
    const k = releaseKernels();
    const x = values(10007, 1).map((v) => (Number.isFinite(v) ? v : 1));
    const y = values(10007, 2).map((v) => (Number.isFinite(v) ? v : 1));
    const run = (f: (k: Kernels, gx: KBuf, gy: KBuf) => void) => {
      const gx = guarded(k, 'f32', x.length, x);
      const gy = guarded(k, 'f32', y.length, y);
      f(k, gx.buf, gy.buf);
      const out = gy.buf.toArray();
      gx.free();
      gy.free();
      return out;
    };
    for (const isaPair of [['scalar', 'simd128']] as const) {
      const [s, v] = isaPair.map((isa) => run((kk, gx, gy) => axpyF32(kk, gx, gy, -0.37, { isa })));
      expectEach(
        x.length,
        (i) => sameBits(s[i], v[i]),
        (i) => `scalar=${s[i]}, simd=${v[i]}`,
        'axpy_f32',
      );
      const [s2, v2] = isaPair.map((isa) => run((kk, gx, gy) => affineF32(kk, gx, gy, 0.3, -1.1, { isa })));
      expectEach(
        x.length,
        (i) => sameBits(s2[i], v2[i]),
        (i) => `scalar=${s2[i]}, simd=${v2[i]}`,
        'affine_f32',
      );
    }
  });
});
