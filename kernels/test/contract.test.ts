// contract.test.ts — the debug build (assertions on) against the documented preconditions: every
// violation traps with `RuntimeError: unreachable` (in both the __scalar and __simd variant), and
// valid calls give exactly the release build's bits. All other tests run the release build.
import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import {
  dequantizeI8F32,
  dequantizeI8F32PerChannel,
  expMinusMaxF32,
  fakeQuantF32,
  type Isa,
  type Kernels,
  kernelsOf,
  logSoftmaxF32,
  quantizeF32I8,
  quantizeF32I8PerChannel,
  requantizeI32I8,
  requantizeI32I8PerChannel,
  softmaxF32,
} from '../src/index.js';
import { debugKernels, firstMismatch, releaseKernels } from './harness.js';

const debug = debugKernels();
// Two 64-element f32 buffers (256 bytes each) and byte offsets into them.
const X = debug.arena.alloc(256);
const Y = debug.arena.alloc(256);
const HUGE = 1 << 20;

/** op → [precondition violated, raw arguments]. */
const TRAPS: Record<string, [string, number[]][]> = {
  quantize_f32_i8: [
    ['qmin > qmax', [X, Y, 4, 0.1, 0, 5, 3, 0]],
    ['n < 0', [X, Y, -1, 0.1, 0, -128, 127, 0]],
    ['scale = 0', [X, Y, 4, 0, 0, -128, 127, 0]],
    ['zero_point outside [qmin, qmax]', [X, Y, 4, 0.1, 100, -10, 10, 0]],
    ['qmax > 127', [X, Y, 4, 0.1, 0, -128, 200, 0]],
  ],
  quantize_f32_i8_pc: [['channels < 0', [X, Y, 1, -3, 4, X, 0, -128, 127, 0]]],
  dequantize_i8_f32: [['n < 0', [X, Y, -5, 0.1, 0]]],
  dequantize_i8_f32_pc: [['inner < 0', [X, Y, 1, 2, -1, X, 0]]],
  fake_quant_f32: [
    ['scale < 0', [X, Y, 0, 4, -1, 0, -128, 127, 0]],
    ['qmin > qmax', [X, Y, 0, 4, 0.1, 0, 1, 0, 0]],
  ],
  requantize_i32_i8: [
    ['shift = 0', [X, Y, 4, 1 << 30, 0, 0, -128, 127]],
    ['shift = 63', [X, Y, 4, 1 << 30, 63, 0, -128, 127]],
    ['mult < 0', [X, Y, 4, -1, 31, 0, -128, 127]],
  ],
  requantize_i32_i8_pc: [['rows < 0', [X, Y, -1, 4, X, 31, 0, -128, 127]]],
  softmax_f32: softmaxTraps(),
  log_softmax_f32: softmaxTraps(),
  exp_minus_max_f32: [
    ['n < 0', [X, Y, -1, 0]],
    ['x not 4-byte aligned', [X + 1, Y, 4, 0]],
  ],
};

function softmaxTraps(): [string, number[]][] {
  return [
    ['rows < 0', [X, Y, -1, 4, 4, 4]],
    ['cols < 0', [X, Y, 1, -1, 0, 0]],
    ['ldx < cols', [X, Y, 2, 4, 3, 4]],
    ['ldy < cols', [X, Y, 2, 4, 4, 3]],
    ['y not 4-byte aligned', [X, Y + 2, 1, 4, 4, 4]],
    ['x and y overlap without being equal', [X, X + 4, 2, 4, 4, 4]],
    ['in place with different strides', [X, X, 2, 4, 4, 5]],
    ['rows beyond the memory', [X, Y, HUGE, 1024, 1024, 1024]],
  ];
}

describe('the debug build traps on violated preconditions', () => {
  for (const [op, cases] of Object.entries(TRAPS)) {
    for (const info of kernelsOf(op).filter((i) => i.isa !== 'relaxed')) {
      it.each(cases)(`${info.name}: %s`, (_why, args) => {
        const fn = debug.fn(info);
        let thrown: unknown;
        try {
          fn(...args);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, `${info.name}(${args.join(', ')}) returned instead of trapping`).toBeInstanceOf(
          WebAssembly.RuntimeError,
        );
        expect(String(thrown)).toMatch(/RuntimeError: unreachable/);
      });
    }
  }
});

/** Runs one op on fresh seeded inputs in `k` and returns every output, as bits-comparable arrays. */
const VALID: Record<string, (k: Kernels, isa: Isa) => ArrayLike<number>[]> = {
  quantize_f32_i8: (k, isa) => {
    const x = k.from('f32', new Rng(1).f32Array(67, -9, 9));
    const y = k.alloc('i8', 67);
    quantizeF32I8(k, x, y, { scale: 0.07, zeroPoint: -3, isa });
    return [y.toArray()];
  },
  quantize_f32_i8_pc: (k, isa) => {
    const x = k.from('f32', new Rng(2).f32Array(3 * 5 * 7, -2, 2));
    const y = k.alloc('i8', 105);
    const s = k.from('f32', [0.01, 0.02, 0.03, 0.04, 0.05]);
    quantizeF32I8PerChannel(k, x, y, { outer: 3, channels: 5, inner: 7 }, s, null, { isa });
    return [y.toArray()];
  },
  dequantize_i8_f32: (k, isa) => {
    const q = k.from('i8', new Rng(3).i8Array(67));
    const y = k.alloc('f32', 67);
    dequantizeI8F32(k, q, y, { scale: 0.11, zeroPoint: 9, isa });
    return [y.toArray()];
  },
  dequantize_i8_f32_pc: (k, isa) => {
    const q = k.from('i8', new Rng(4).i8Array(2 * 3 * 17));
    const y = k.alloc('f32', 102);
    const s = k.from('f32', [0.5, 0.25, 0.125]);
    const z = k.from('i32', [1, -2, 3]);
    dequantizeI8F32PerChannel(k, q, y, { outer: 2, channels: 3, inner: 17 }, s, z, { isa });
    return [y.toArray()];
  },
  fake_quant_f32: (k, isa) => {
    const x = k.from('f32', new Rng(5).f32Array(67, -3, 3));
    const y = k.alloc('f32', 67);
    const m = k.alloc('u8', 67);
    fakeQuantF32(k, x, y, m, { scale: 0.02, zeroPoint: 4, isa });
    return [y.toArray(), m.toArray()];
  },
  requantize_i32_i8: (k, isa) => {
    const acc = k.from('i32', new Rng(6).i32Array(67, -(2 ** 20), 2 ** 20));
    const y = k.alloc('i8', 67);
    requantizeI32I8(k, acc, y, 1518500250, { shift: 41, zeroPoint: 2, isa });
    return [y.toArray()];
  },
  requantize_i32_i8_pc: (k, isa) => {
    const acc = k.from('i32', new Rng(7).i32Array(4 * 9, -(2 ** 20), 2 ** 20));
    const y = k.alloc('i8', 36);
    const mults = k.from('i32', new Rng(8).i32Array(9, 2 ** 29, 2 ** 31 - 1));
    requantizeI32I8PerChannel(k, acc, y, 4, 9, mults, { shift: 38, isa });
    return [y.toArray()];
  },
  softmax_f32: (k, isa) => {
    const x = k.from('f32', new Rng(9).f32Array(5 * 37, -150, 190));
    const y = k.alloc('f32', 5 * 37);
    softmaxF32(k, x, y, { rows: 5, cols: 33, ldx: 37, ldy: 37, isa });
    return [y.toArray()];
  },
  log_softmax_f32: (k, isa) => {
    const x = k.from('f32', new Rng(10).f32Array(4 * 130, 20, 30));
    logSoftmaxF32(k, x, x, { rows: 4, cols: 130, isa });
    return [x.toArray()];
  },
  exp_minus_max_f32: (k, isa) => {
    const x = k.from('f32', new Rng(11).f32Array(1001, -90, 0));
    const y = k.alloc('f32', 1001);
    const sum = expMinusMaxF32(k, x, y, 0, { isa });
    return [y.toArray(), [sum]];
  },
};

describe('valid calls in the debug build give the release build’s bits', () => {
  const release = releaseKernels();
  for (const [op, run] of Object.entries(VALID)) {
    for (const info of kernelsOf(op).filter((i) => i.isa !== 'relaxed')) {
      it(info.name, () => {
        const want = run(release, info.isa);
        const got = run(debug, info.isa);
        want.forEach((w, j) => {
          const i = firstMismatch(w, got[j]);
          expect(i, `${info.name} output ${j} at ${i}: release=${w[i]}, debug=${got[j][i]}`).toBe(-1);
        });
      });
    }
  }
});
