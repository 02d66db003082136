// contract.test.ts — the debug build (assertions on) against the documented preconditions: every
// violation traps with `RuntimeError: unreachable` (in both the __scalar and __simd variant), and
// valid calls give exactly the release build's bits. All other tests run the release build.
import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import {
  adamwF32,
  affineF32,
  axpyF32,
  binaryColF32,
  binaryF32,
  binaryRowF32,
  binaryScalarF32,
  col2imF32,
  dequantizeI8F32,
  dequantizeI8F32PerChannel,
  dwconvF32,
  dwconvGradF32,
  expMinusMaxF32,
  fakeQuantF32,
  type Isa,
  im2colF32,
  im2colI8,
  type Kernels,
  kernelsOf,
  layerNormF32,
  layerNormGradF32,
  logSoftmaxF32,
  lutU8F32,
  lutU8I8,
  quantizeF32I8,
  quantizeF32I8PerChannel,
  reduceF32,
  requantizeI32I8,
  requantizeI32I8PerChannel,
  resizeBilinearAddF32,
  resizeBilinearArgmaxF32,
  resizeBilinearF32,
  resizeBilinearGradF32,
  softmaxF32,
  transposeF32,
  UNARY_F32_GRAD_READS,
  UNARY_F32_OPS,
  unaryF32,
  unaryGradF32,
} from '../src/index.js';
import { debugKernels, firstMismatch, releaseKernels } from './harness.js';

const debug = debugKernels();
// Two 64-element f32 buffers (256 bytes each) and byte offsets into them.
const X = debug.arena.alloc(256);
const Y = debug.arena.alloc(256);
const HUGE = 1 << 20;
// Spatial and normalization families: four 4 KiB buffers (1024 f32 each) and a conv geometry
// (batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW) that fits them: 1×4×4×3, 3×3 s1 p1.
const P = debug.arena.alloc(4096);
const Q = debug.arena.alloc(4096);
const R = debug.arena.alloc(4096);
const S = debug.arena.alloc(4096);
const G3 = [1, 4, 4, 3, 3, 3, 1, 1, 1, 4, 4];
/** G3 with one field replaced. */
const g3 = (field: number, v: number) => G3.map((g, i) => (i === field ? v : g));

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
  dwconv_f32: dwconvTraps(),
  dwconv_f32_3x3s1: [
    ...dwconvTraps(),
    ['kernel 5×5', [P, Q, R, S, ...g3(4, 5).map((v, i) => (i === 5 ? 5 : i === 7 ? 2 : v))]],
    ['stride 2', [P, Q, R, S, ...g3(6, 2).map((v, i) => (i >= 9 ? 2 : v))]],
    ['dilation 2', [P, Q, R, S, ...g3(8, 2).map((v, i) => (i === 7 ? 2 : v))]],
  ],
  dwconv_grad_f32: dwconvGradTraps(),
  dwconv_grad_f32_3x3s1: [
    ...dwconvGradTraps(),
    ['stride 2', [P, Q, R, 0, S, 0, ...g3(6, 2).map((v, i) => (i >= 9 ? 2 : v))]],
  ],
  im2col_f32: [
    ['kW = 0', [P, Q, ...g3(5, 0)]],
    ['outW < 0', [P, Q, ...g3(10, -1)]],
    ['cols overlaps x', [P, P + 64, ...G3]],
    ['cols not 4-byte aligned', [P, Q + 1, ...G3]],
    ['x beyond the memory', [P, Q, HUGE, 64, 64, 64, 1, 1, 1, 0, 1, 1, 1]],
  ],
  im2col_i8: [
    ['kW = 0', [P, Q, ...g3(5, 0), 0]],
    ['outW < 0', [P, Q, ...g3(10, -1), 0]],
    ['padValue = 128', [P, Q, ...G3, 128]],
    ['padValue = −129', [P, Q, ...G3, -129]],
    ['cols overlaps x', [P, P + 16, ...G3, 0]],
    ['x beyond the memory', [P, Q, HUGE, 64, 64, 64, 1, 1, 1, 0, 1, 1, 1, 0]],
  ],
  ...Object.fromEntries(
    ['lut_u8_f32', 'lut_u8_i8'].map((op) => [
      op,
      [
        ['n < 0', [P, Q, -1, R, 3]],
        ['channels = 0', [P, Q, 12, R, 0]],
        ['channels = 257', [P, Q, 12, R, 257]],
        ['y overlaps x', [P, P + 4, 12, R, 3]],
        ['y overlaps the table', [P, Q, 12, Q + 8, 3]],
        ['beyond the memory', [P, Q, HUGE * 64, R, 3]],
      ] as [string, number[]][],
    ]),
  ),
  col2im_f32: [
    ['stride = 0', [P, Q, ...g3(6, 0)]],
    ['dx overlaps cols', [P, P + 16, ...G3]],
  ],
  resize_bilinear_f32: resizeTraps(),
  resize_bilinear_grad_f32: resizeTraps(),
  resize_bilinear_add_f32: [
    ...resizeTraps().map(([why, a]): [string, number[]] => [why, [...a, 0, Math.max(0, a[5])]]),
    ['rowHi > outH', [P, Q, 1, 2, 2, 4, 4, 3, R, 0, 5]],
    ['rowLo > rowHi', [P, Q, 1, 2, 2, 4, 4, 3, R, 3, 2]],
    ['rowLo < 0', [P, Q, 1, 2, 2, 4, 4, 3, R, -1, 2]],
  ],
  resize_bilinear_argmax_f32: [
    ['c = 0', [P, Q, 1, 2, 2, 4, 4, 0, R]],
    ['c = 257', [P, Q, 1, 2, 2, 4, 4, 257, R]],
    ['empty input, non-empty output', [P, Q, 1, 0, 4, 4, 4, 3, R]],
    ['y overlaps x', [P, P + 8, 1, 2, 2, 4, 4, 3, R]],
    ['x not 4-byte aligned', [P + 1, Q, 1, 2, 2, 4, 4, 3, R]],
    ['beyond the memory', [P, Q, HUGE, 64, 64, 2, 2, 64, R]],
    ['scratch overlaps y', [P, Q, 1, 2, 2, 4, 4, 3, Q + 8]],
    ['scratch not 8-byte aligned', [P, Q, 1, 2, 2, 4, 4, 3, R + 4]],
  ],
  layernorm_f32: [
    ['rows < 0', [P, Q, Q, R, S, S + 64, -1, 8, 1e-5]],
    ['cols < 0', [P, Q, Q, R, S, S + 64, 4, -1, 1e-5]],
    ['y overlaps x', [P, Q, Q, P + 4, S, S + 64, 4, 8, 1e-5]],
    ['rstd overlaps mean', [P, Q, Q, R, S, S + 8, 4, 8, 1e-5]],
    ['mean overlaps gamma', [P, Q, Q + 256, R, Q, S, 4, 8, 1e-5]],
  ],
  layernorm_grad_f32: [
    ['rows < 0', [P, Q, Q + 64, Q + 128, R, S, S + 256, S + 512, -1, 8]],
    ['dx overlaps dy', [P, Q, Q + 64, Q + 128, R, R + 4, S + 256, S + 512, 4, 8]],
    ['dgamma overlaps dbeta', [P, Q, Q + 64, Q + 128, R, S, S + 256, S + 260, 4, 8]],
    ['dbeta overlaps x', [P, Q, Q + 64, Q + 128, R, S, S + 256, P, 4, 8]],
  ],
  transpose_f32: [
    ['rows < 0', [P, Q, 1, -2, 4]],
    ['y overlaps x', [P, P + 12, 1, 4, 4]],
    ['x not 4-byte aligned', [P + 2, Q, 1, 4, 4]],
    ['rows beyond the memory', [P, Q, HUGE, 1024, 1024]],
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

/** dwconv (x, w, bias, y, …geometry) preconditions. */
function dwconvTraps(): [string, number[]][] {
  return [
    ['stride = 0', [P, Q, R, S, ...g3(6, 0)]],
    ['dilation = 0', [P, Q, R, S, ...g3(8, 0)]],
    ['kH = 0', [P, Q, R, S, ...g3(4, 0)]],
    ['pad < 0', [P, Q, R, S, ...g3(7, -1)]],
    ['c < 0', [P, Q, R, S, ...g3(3, -1)]],
    ['y overlaps x', [P, Q, R, P + 16, ...G3]],
    ['y overlaps the bias', [P, Q, R, R, ...G3]],
    ['x not 4-byte aligned', [P + 2, Q, R, S, ...G3]],
    ['x beyond the memory', [P, Q, R, S, HUGE, 64, 64, 64, 3, 3, 1, 1, 1, 1, 1]],
  ];
}

/** dwconv_grad (x, w, dy, dx, dw, db, …geometry) preconditions. */
function dwconvGradTraps(): [string, number[]][] {
  return [
    ['stride = 0', [P, Q, R, S, S + 256, 0, ...g3(6, 0)]],
    ['dx overlaps x', [P, Q, R, P, S, 0, ...G3]],
    ['dw overlaps dx', [P, Q, R, S, S + 64, 0, ...G3]],
    ['dw overlaps w', [P, Q, R, 0, Q, 0, ...G3]],
    ['db overlaps dy', [P, Q, R, 0, S, R + 4, ...G3]],
    ['dy beyond the memory', [P, Q, R, 0, S, 0, 1, HUGE, 64, 64, 3, 3, 1, 1, 1, HUGE, 64]],
  ];
}

/** resize (x, y, batch, inH, inW, outH, outW, c, scratch) preconditions (the grad: dy, dx, …). */
function resizeTraps(): [string, number[]][] {
  return [
    ['empty input, non-empty output', [P, Q, 1, 0, 4, 4, 4, 3, R]],
    ['c < 0', [P, Q, 1, 2, 2, 4, 4, -1, R]],
    ['y overlaps x', [P, P + 8, 1, 2, 2, 4, 4, 3, R]],
    ['x not 4-byte aligned', [P + 1, Q, 1, 2, 2, 4, 4, 3, R]],
    ['beyond the memory', [P, Q, HUGE, 64, 64, 2, 2, 64, R]],
    ['scratch overlaps y', [P, Q, 1, 2, 2, 4, 4, 3, Q + 16]],
    ['scratch not 8-byte aligned', [P, Q, 1, 2, 2, 4, 4, 3, R + 4]],
  ];
}

// The elementwise families (unary_f32, binary_f32, reduce_f32, adamw_f32): see elementwiseTraps().
Object.assign(TRAPS, elementwiseTraps());

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
  dwconv_f32: (k, isa) => dwconvValid(k, isa, 'general'),
  dwconv_f32_3x3s1: (k, isa) => dwconvValid(k, isa, '3x3s1'),
  dwconv_grad_f32: (k, isa) => dwconvGradValid(k, isa, 'general'),
  dwconv_grad_f32_3x3s1: (k, isa) => dwconvGradValid(k, isa, '3x3s1'),
  im2col_f32: (k, isa) => {
    const g = { ...SPATIAL, kH: 7, kW: 7, stride: 4, pad: 3, outH: 3, outW: 4 };
    const x = k.from('f32', new Rng(12).f32Array(2 * 9 * 13 * 5, -1, 1));
    const cols = k.alloc('f32', 2 * 3 * 4 * 49 * 5);
    im2colF32(k, x, cols, g, { isa });
    return [cols.toArray()];
  },
  col2im_f32: (k, isa) => {
    const g = { ...SPATIAL, kH: 3, kW: 3, stride: 2, pad: 1, outH: 5, outW: 7 };
    const cols = k.from('f32', new Rng(13).f32Array(2 * 5 * 7 * 9 * 5, -1, 1));
    const dx = k.from('f32', new Rng(14).f32Array(2 * 9 * 13 * 5, -1, 1));
    col2imF32(k, cols, dx, g, { isa });
    return [dx.toArray()];
  },
  im2col_i8: (k, isa) => {
    const g = {
      batch: 2,
      inH: 9,
      inW: 13,
      inC: 5,
      kH: 3,
      kW: 3,
      stride: 2,
      pad: 1,
      dilation: 1,
      outH: 5,
      outW: 7,
    };
    const x = k.from('i8', new Rng(22).i8Array(2 * 9 * 13 * 5));
    const cols = k.alloc('i8', 2 * 5 * 7 * 9 * 5);
    im2colI8(k, x, cols, g, { padValue: -7, isa });
    return [cols.toArray()];
  },
  lut_u8_f32: (k, isa) => {
    const x = k.from(
      'u8',
      Uint8Array.from(new Rng(23).i8Array(301), (v) => v + 128),
    );
    const t = k.from('f32', new Rng(24).f32Array(3 * 256, -3, 3));
    const y = k.alloc('f32', 301);
    lutU8F32(k, x, y, t, { channels: 3, isa });
    return [y.toArray()];
  },
  lut_u8_i8: (k, isa) => {
    const x = k.from(
      'u8',
      Uint8Array.from(new Rng(25).i8Array(301), (v) => v + 128),
    );
    const t = k.from('i8', new Rng(26).i8Array(4 * 256));
    const y = k.alloc('i8', 301);
    lutU8I8(k, x, y, t, { channels: 4, isa });
    return [y.toArray()];
  },
  resize_bilinear_f32: (k, isa) => {
    const x = k.from('f32', new Rng(15).f32Array(2 * 5 * 6 * 19, -1, 1));
    const y = k.alloc('f32', 2 * 11 * 23 * 19);
    resizeBilinearF32(k, x, y, { batch: 2, inH: 5, inW: 6, outH: 11, outW: 23, c: 19 }, { isa });
    return [y.toArray()];
  },
  resize_bilinear_argmax_f32: (k, isa) => {
    const x = k.from('f32', new Rng(19).f32Array(2 * 5 * 6 * 19, -1, 1));
    const y = k.alloc('u8', 2 * 11 * 23);
    resizeBilinearArgmaxF32(k, x, y, { batch: 2, inH: 5, inW: 6, outH: 11, outW: 23, c: 19 }, { isa });
    return [y.toArray()];
  },
  resize_bilinear_add_f32: (k, isa) => {
    const x = k.from('f32', new Rng(20).f32Array(2 * 5 * 6 * 19, -1, 1));
    const y = k.from('f32', new Rng(21).f32Array(2 * 20 * 23 * 19, -1, 1));
    resizeBilinearAddF32(
      k,
      x,
      y,
      { batch: 2, inH: 5, inW: 6, outH: 20, outW: 23, c: 19 },
      { isa, rows: [3, 17] },
    );
    return [y.toArray()];
  },
  resize_bilinear_grad_f32: (k, isa) => {
    const dy = k.from('f32', new Rng(16).f32Array(2 * 11 * 23 * 19, -1, 1));
    const dx = k.from('f32', new Rng(17).f32Array(2 * 5 * 6 * 19, -1, 1));
    resizeBilinearGradF32(k, dy, dx, { batch: 2, inH: 5, inW: 6, outH: 11, outW: 23, c: 19 }, { isa });
    return [dx.toArray()];
  },
  layernorm_f32: (k, isa) => {
    const rng = new Rng(18);
    const [x, gamma, beta] = [rng.f32Array(5 * 70, -3, 3), rng.f32Array(70), rng.f32Array(70)].map((a) =>
      k.from('f32', a),
    );
    const [y, mean, rstd] = [k.alloc('f32', 350), k.alloc('f32', 5), k.alloc('f32', 5)];
    layerNormF32(k, x, gamma, beta, y, mean, rstd, { rows: 5, cols: 70, eps: 1e-5, isa });
    return [y.toArray(), mean.toArray(), rstd.toArray()];
  },
  layernorm_grad_f32: (k, isa) => {
    const rng = new Rng(19);
    const [x, gamma, mean, rstd, dy, dgamma, dbeta] = [
      rng.f32Array(5 * 70, -3, 3),
      rng.f32Array(70),
      rng.f32Array(5, -0.1, 0.1),
      rng.f32Array(5, 0.5, 2),
      rng.f32Array(5 * 70),
      rng.f32Array(70),
      rng.f32Array(70),
    ].map((a) => k.from('f32', a));
    const dx = k.alloc('f32', 350);
    layerNormGradF32(k, x, gamma, mean, rstd, dy, dx, dgamma, dbeta, { rows: 5, cols: 70, isa });
    return [dx.toArray(), dgamma.toArray(), dbeta.toArray()];
  },
  transpose_f32: (k, isa) => {
    const x = k.from('f32', new Rng(20).f32Array(3 * 37 * 45, -1, 1));
    const y = k.alloc('f32', 3 * 37 * 45);
    transposeF32(k, x, y, { batch: 3, rows: 37, cols: 45 }, { isa });
    return [y.toArray()];
  },
};

/** A 2×9×13×5 NHWC image geometry the valid spatial calls share (kernel fields set per call). */
const SPATIAL = {
  batch: 2,
  inH: 9,
  inW: 13,
  inC: 5,
  kH: 3,
  kW: 3,
  stride: 1,
  pad: 1,
  dilation: 1,
  outH: 9,
  outW: 13,
};

function dwconvValid(k: Kernels, isa: Isa, variant: 'general' | '3x3s1'): ArrayLike<number>[] {
  const g = variant === '3x3s1' ? SPATIAL : { ...SPATIAL, kH: 5, kW: 5, stride: 2, pad: 2, outH: 5, outW: 7 };
  const rng = new Rng(21);
  const x = k.from('f32', rng.f32Array(2 * 9 * 13 * 5, -1, 1));
  const w = k.from('f32', rng.f32Array(g.kH * g.kW * 5, -1, 1));
  const bias = k.from('f32', rng.f32Array(5, -1, 1));
  const y = k.alloc('f32', 2 * g.outH * g.outW * 5);
  dwconvF32(k, x, w, bias, y, g, { isa, variant });
  return [y.toArray()];
}

function dwconvGradValid(k: Kernels, isa: Isa, variant: 'general' | '3x3s1'): ArrayLike<number>[] {
  const g =
    variant === '3x3s1'
      ? SPATIAL
      : { ...SPATIAL, kH: 3, kW: 3, stride: 2, pad: 2, dilation: 2, outH: 5, outW: 7 };
  const rng = new Rng(22);
  const x = k.from('f32', rng.f32Array(2 * 9 * 13 * 5, -1, 1));
  const w = k.from('f32', rng.f32Array(g.kH * g.kW * 5, -1, 1));
  const dy = k.from('f32', rng.f32Array(2 * g.outH * g.outW * 5, -1, 1));
  const dx = k.from('f32', rng.f32Array(2 * 9 * 13 * 5, -1, 1));
  const dw = k.from('f32', rng.f32Array(g.kH * g.kW * 5, -1, 1));
  const db = k.from('f32', rng.f32Array(5, -1, 1));
  dwconvGradF32(k, x, w, dy, dx, dw, db, g, { isa, variant });
  return [dx.toArray(), dw.toArray(), db.toArray()];
}

Object.assign(VALID, elementwiseValid());

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

/** Preconditions of the elementwise families, on the 4 KiB buffers P, Q, R, S (and 256-byte X, Y). */
function elementwiseTraps(): Record<string, [string, number[]][]> {
  const traps: Record<string, [string, number[]][]> = {};
  const huge = HUGE * 64; // 2^26 f32 = 256 MiB, past the debug module's memory
  for (const op of [...UNARY_F32_OPS, 'erf']) {
    traps[`${op}_f32`] = [
      ['n < 0', [X, Y, -1]],
      ['y overlaps x by one element', [X, X + 4, 8]],
      ['x not 4-byte aligned', [X + 2, Y, 4]],
      ['beyond the memory', [X, Y, huge]],
    ];
  }
  for (const op of UNARY_F32_OPS) {
    const reads = UNARY_F32_GRAD_READS[op];
    traps[`${op}_grad_f32`] = [
      ['n < 0', [P, Q, R, S, -1]],
      ['dx overlaps dy by one element', [P, Q, R, R + 4, 8]],
      ['dy beyond the memory', [P, Q, R, S, huge]],
      ...(reads.x ? [['dx overlaps x', [P, Q, R, P + 8, 8]] as [string, number[]]] : []),
      ...(reads.y ? [['dx overlaps y', [P, Q, R, Q + 8, 8]] as [string, number[]]] : []),
    ];
  }
  traps.binary_f32 = [
    ['op = 8', [8, P, Q, R, 4]],
    ['op < 0', [-1, P, Q, R, 4]],
    ['n < 0', [0, P, Q, R, -1]],
    ['out overlaps a by one element', [0, P, Q, P + 4, 8]],
    ['out overlaps b by one element', [0, P, Q, Q + 4, 8]],
    ['b not 4-byte aligned', [0, P, Q + 1, R, 4]],
    ['beyond the memory', [0, P, Q, R, huge]],
  ];
  for (const op of ['binary_row_f32', 'binary_col_f32']) {
    traps[op] = [
      ['op = 8', [8, P, Q, R, 4, 8]],
      ['rows < 0', [0, P, Q, R, -1, 8]],
      ['cols < 0', [0, P, Q, R, 4, -1]],
      ['rows·cols past 2^31', [0, P, Q, R, 1 << 20, 1 << 12]],
      ['out overlaps a by one element', [0, P, Q, P + 4, 4, 8]],
      ['out is b', [0, P, Q, Q, 4, 8]],
      ['b inside out', [0, P, R + 8, R, 4, 8]],
    ];
  }
  traps.binary_scalar_f32 = [
    ['op = 9', [9, P, 1, Q, 4]],
    ['n < 0', [0, P, 1, Q, -1]],
    ['out overlaps a by two elements', [0, P, 1, P + 8, 8]],
  ];
  traps.axpy_f32 = [
    ['n < 0', [P, Q, -1, 1]],
    ['y overlaps x by one element', [P, P + 4, 8, 1]],
    ['beyond the memory', [P, Q, huge, 1]],
  ];
  traps.affine_f32 = [
    ['n < 0', [P, Q, -1, 2, 1]],
    ['y overlaps x by one element', [P, P + 4, 8, 2, 1]],
  ];
  for (const op of ['reduce_sum_f32', 'reduce_max_f32']) {
    traps[op] = [
      ['outer < 0', [P, Q, -1, 4, 4]],
      ['mid < 0', [P, Q, 1, -1, 4]],
      ['inner < 0', [P, Q, 1, 4, -1]],
      ['outer·mid·inner past 2^31', [P, Q, 1 << 12, 1 << 12, 1 << 12]],
      ['out overlaps x', [P, P + 8, 1, 4, 4]],
      ['x beyond the memory', [P, Q, 1, HUGE, 64]],
    ];
  }
  // p, g, m, v, n, lr, 1−β1, 1−β2, ε, wd, bc1, bc2
  const adam = (field: number, v: number) =>
    [P, Q, R, S, 8, 1e-3, 0.1, 0.001, 1e-8, 0.01, 0.1, 0.001].map((a, i) => (i === field ? v : a));
  traps.adamw_f32 = [
    ['n < 0', adam(4, -1)],
    ['m overlaps p', adam(2, P + 4)],
    ['g overlaps v', adam(1, S + 16)],
    ['lr < 0', adam(5, -1e-3)],
    ['1 − β1 = 0', adam(6, 0)],
    ['1 − β2 > 1', adam(7, 1.5)],
    ['ε is NaN', adam(8, Number.NaN)],
    ['bc2 = 0', adam(11, 0)],
  ];
  return traps;
}

/** Valid calls of the elementwise families (seeded inputs), for the debug-vs-release comparison. */
function elementwiseValid(): Record<string, (k: Kernels, isa: Isa) => ArrayLike<number>[]> {
  const valid: Record<string, (k: Kernels, isa: Isa) => ArrayLike<number>[]> = {};
  for (const op of [...UNARY_F32_OPS, 'erf'] as const) {
    valid[`${op}_f32`] = (k, isa) => {
      const x = k.from(
        'f32',
        new Rng(23).f32Array(53, op === 'log' || op === 'sqrt' || op === 'rsqrt' ? 0.01 : -9, 9),
      );
      const y = k.alloc('f32', 53);
      unaryF32(k, op, x, y, { isa });
      return [y.toArray()];
    };
  }
  for (const op of UNARY_F32_OPS) {
    valid[`${op}_grad_f32`] = (k, isa) => {
      const rng = new Rng(24);
      const x = k.from('f32', rng.f32Array(53, 0.01, 9));
      const y = k.from('f32', rng.f32Array(53, 0.01, 2));
      const dy = k.from('f32', rng.f32Array(53, -2, 2));
      const dx = k.alloc('f32', 53);
      unaryGradF32(k, op, { x, y, dy, dx }, { isa });
      return [dx.toArray()];
    };
  }
  valid.binary_f32 = (k, isa) => {
    const rng = new Rng(25);
    const [a, b] = [rng.f32Array(61, -3, 3), rng.f32Array(61, -3, 3)].map((v) => k.from('f32', v));
    const out = k.alloc('f32', 61);
    binaryF32(k, 'div', a, b, out, { isa });
    return [out.toArray()];
  };
  valid.binary_row_f32 = (k, isa) => {
    const rng = new Rng(26);
    const [a, b] = [rng.f32Array(7 * 19, -3, 3), rng.f32Array(19, -3, 3)].map((v) => k.from('f32', v));
    const out = k.alloc('f32', 7 * 19);
    binaryRowF32(k, 'rsub', a, b, out, { rows: 7, cols: 19, isa });
    return [out.toArray()];
  };
  valid.binary_col_f32 = (k, isa) => {
    const rng = new Rng(27);
    const [a, b] = [rng.f32Array(7 * 19, -3, 3), rng.f32Array(7, -3, 3)].map((v) => k.from('f32', v));
    const out = k.alloc('f32', 7 * 19);
    binaryColF32(k, 'max', a, b, out, { rows: 7, cols: 19, isa });
    return [out.toArray()];
  };
  valid.binary_scalar_f32 = (k, isa) => {
    const a = k.from('f32', new Rng(28).f32Array(61, -3, 3));
    const out = k.alloc('f32', 61);
    binaryScalarF32(k, 'rdiv', a, 1.5, out, { isa });
    return [out.toArray()];
  };
  valid.axpy_f32 = (k, isa) => {
    const rng = new Rng(29);
    const [x, y] = [rng.f32Array(61, -3, 3), rng.f32Array(61, -3, 3)].map((v) => k.from('f32', v));
    axpyF32(k, x, y, -0.3, { isa });
    return [y.toArray()];
  };
  valid.affine_f32 = (k, isa) => {
    const x = k.from('f32', new Rng(30).f32Array(61, -3, 3));
    const y = k.alloc('f32', 61);
    affineF32(k, x, y, 0.7, -0.2, { isa });
    return [y.toArray()];
  };
  for (const op of ['sum', 'max'] as const) {
    valid[`reduce_${op}_f32`] = (k, isa) => {
      const rng = new Rng(31);
      const x = k.from('f32', rng.f32Array(2 * 67 * 21, -3, 3));
      const cols = k.alloc('f32', 2 * 21);
      reduceF32(k, op, x, cols, { outer: 2, mid: 67, inner: 21 }, { isa });
      const rows = k.alloc('f32', 42);
      reduceF32(k, op, x, rows, { outer: 42, mid: 67, inner: 1 }, { isa });
      return [cols.toArray(), rows.toArray()];
    };
  }
  valid.adamw_f32 = (k, isa) => {
    const rng = new Rng(32);
    const [p, g, m] = [rng.f32Array(37, -1, 1), rng.f32Array(37, -1, 1), rng.f32Array(37, -0.1, 0.1)].map(
      (v) => k.from('f32', v),
    );
    const v = k.from('f32', rng.f32Array(37, 0, 0.01));
    adamwF32(
      k,
      { p, g, m, v },
      { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 5 },
      { isa },
    );
    return [p.toArray(), m.toArray(), v.toArray()];
  };
  return valid;
}
