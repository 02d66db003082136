// opCases.ts — the op suite every backend runs: one line per op, random seeded inputs of the given
// shapes (tinygrad's helper_test_op). Used by the finite-difference checks (ref, f64) and by the
// conformance tests (wasm vs ref).
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor.js';

export interface OpCase {
  name: string;
  f: (...xs: Tensor[]) => Tensor;
  shapes: number[][];
  /** Input range (default [-1, 1]). */
  range?: [number, number];
  /** Llops the wasm backend runs as TS loops for this case (its layout has no kernel). */
  fallbacks?: string[];
}

const labels = [0, 2, 255, 1, 2, 0];
const bnStats = () => ({ mean: new Float64Array(64), var: new Float64Array(64) });

export const opCases: OpCase[] = [
  { name: 'neg', f: (x) => x.neg(), shapes: [[3, 5]] },
  { name: 'exp', f: (x) => x.exp(), shapes: [[3, 5]] },
  { name: 'square', f: (x) => x.square(), shapes: [[3, 5]] },
  { name: 'relu', f: (x) => x.relu(), shapes: [[3, 5]] },
  { name: 'gelu', f: (x) => x.mul(2).gelu(), shapes: [[3, 17]] },
  { name: 'sigmoid', f: (x) => x.sigmoid(), shapes: [[3, 5]] },
  { name: 'tanh', f: (x) => x.tanh(), shapes: [[3, 5]] },
  { name: 'hardswish', f: (x) => x.mul(4).hardswish(), shapes: [[3, 5]] },
  { name: 'hardsigmoid', f: (x) => x.mul(4).hardsigmoid(), shapes: [[3, 5]] },
  { name: 'clamp', f: (x) => x.mul(2).clamp(-0.7, 0.9), shapes: [[4, 5]] },
  { name: 'affine', f: (x) => x.mul(3).add(2), shapes: [[3, 5]] },
  { name: 'log', f: (x) => x.log(), shapes: [[2, 7]], range: [0.2, 2] },
  { name: 'sqrt', f: (x) => x.sqrt(), shapes: [[2, 7]], range: [0.2, 2] },
  { name: 'abs', f: (x) => x.abs(), shapes: [[2, 7]], range: [0.2, 2] },
  { name: 'add broadcast', f: (a, b) => a.add(b), shapes: [[2, 3, 4], [4]] },
  {
    name: 'sub broadcast',
    f: (a, b) => a.sub(b),
    shapes: [
      [2, 1, 4],
      [3, 1],
    ],
  },
  {
    name: 'mul broadcast',
    f: (a, b) => a.mul(b),
    shapes: [
      [2, 3, 4],
      [2, 3, 1],
    ],
  },
  {
    name: 'div',
    f: (a, b) => a.div(b.square().add(0.5)),
    shapes: [
      [3, 4],
      [1, 4],
    ],
  },
  { name: 'x+x', f: (a) => a.add(a).mul(a), shapes: [[5]] },
  {
    name: 'matmul NN',
    f: (a, b) => a.matmul(b),
    shapes: [
      [3, 4],
      [4, 5],
    ],
  },
  {
    name: 'matmul TN',
    f: (a, b) => a.matmul(b, { transA: true }),
    shapes: [
      [4, 3],
      [4, 5],
    ],
  },
  {
    name: 'matmul NT',
    f: (a, b) => a.matmul(b, { transB: true }),
    shapes: [
      [3, 4],
      [5, 4],
    ],
  },
  {
    name: 'matmul TT',
    f: (a, b) => a.matmul(b, { transA: true, transB: true }),
    shapes: [
      [4, 3],
      [5, 4],
    ],
  },
  {
    name: 'matmul batched',
    f: (a, b) => a.matmul(b),
    shapes: [
      [2, 3, 4],
      [2, 4, 2],
    ],
  },
  {
    name: 'matmul broadcast B',
    f: (a, b) => a.matmul(b, { transB: true }),
    shapes: [
      [2, 3, 4],
      [5, 4],
    ],
  },
  {
    name: 'matmul 17x9x33',
    f: (a, b) => a.matmul(b),
    shapes: [
      [17, 33],
      [33, 9],
    ],
  },
  { name: 'linear', f: (x, w, b) => ops.linear(x, w, b), shapes: [[2, 3, 4], [5, 4], [5]] },
  {
    name: 'linear no bias',
    f: (x, w) => ops.linear(x, w),
    shapes: [
      [3, 4],
      [2, 4],
    ],
  },
  { name: 'reshape', f: (x) => x.reshape([6, 2]).mul(x.reshape([6, 2])), shapes: [[3, 4]] },
  { name: 'permute', f: (x) => x.permute([2, 0, 1]), shapes: [[2, 3, 4]] },
  {
    name: 'concat',
    f: (a, b) => ops.concat([a, b], 1),
    shapes: [
      [2, 3, 2],
      [2, 1, 2],
    ],
  },
  { name: 'slice', f: (x) => ops.slice(x, 1, 1, 2), shapes: [[2, 4, 3]] },
  { name: 'sum', f: (x) => x.sum([0, 2]), shapes: [[2, 3, 4]] },
  { name: 'mean keepdims', f: (x) => x.mean(1, true), shapes: [[2, 3, 4]] },
  { name: 'max', f: (x) => x.max(1), shapes: [[3, 5]] },
  { name: 'softmax', f: (x) => x.mul(3).softmax(), shapes: [[4, 6]] },
  { name: 'logSoftmax', f: (x) => x.mul(3).logSoftmax(), shapes: [[4, 6]] },
  { name: 'layerNorm', f: (x, g, b) => ops.layerNorm(x, g, b, 1e-5), shapes: [[3, 5], [5], [5]] },
  {
    name: 'batchNorm',
    f: (x, g, b) => ops.batchNorm(x, g, b, 1e-5, bnStats()),
    shapes: [[2, 3, 4], [4], [4]],
  },
  {
    name: 'conv k7s4p3',
    f: (x, w, b) => ops.conv2d(x, w, b, 4, 3),
    shapes: [[1, 9, 10, 2], [3, 7, 7, 2], [3]],
  },
  {
    name: 'conv k3s2p1',
    f: (x, w, b) => ops.conv2d(x, w, b, 2, 1),
    shapes: [[2, 5, 4, 3], [2, 3, 3, 3], [2]],
  },
  {
    name: 'conv k2s2 (sr)',
    f: (x, w) => ops.conv2d(x, w, undefined, 2, 0),
    shapes: [
      [1, 4, 6, 2],
      [3, 2, 2, 2],
    ],
  },
  { name: 'conv 1x1', f: (x, w, b) => ops.conv2d(x, w, b), shapes: [[2, 3, 3, 4], [5, 1, 1, 4], [5]] },
  { name: 'dwconv 3x3', f: (x, w, b) => ops.dwconv2d(x, w, b, 1, 1), shapes: [[2, 4, 5, 3], [3, 3, 3], [3]] },
  {
    name: 'dwconv 3x3 s2',
    f: (x, w) => ops.dwconv2d(x, w, undefined, 2, 1),
    shapes: [
      [1, 5, 6, 2],
      [3, 3, 2],
    ],
  },
  {
    name: 'dwconv 3x3 dilation 2',
    f: (x, w, b) => ops.dwconv2d(x, w, b, 1, 2, 2),
    shapes: [[1, 6, 7, 2], [3, 3, 2], [2]],
  },
  { name: 'dwconv 5x5', f: (x, w, b) => ops.dwconv2d(x, w, b, 1, 2), shapes: [[1, 6, 5, 2], [5, 5, 2], [2]] },
  { name: 'resize up', f: (x) => ops.resize(x, 7, 9), shapes: [[2, 3, 4, 2]] },
  { name: 'resize down', f: (x) => ops.resize(x, 2, 3), shapes: [[1, 5, 7, 2]] },
  {
    name: 'attention',
    f: (q, k, v) => ops.attention(q, k, v, 2, 0.5),
    shapes: [
      [2, 5, 4],
      [2, 3, 4],
      [2, 3, 4],
    ],
  },
  { name: 'cross-entropy', f: (x) => ops.crossEntropy(x, labels), shapes: [[6, 3]] },
  {
    name: 'cross-entropy weighted',
    f: (x) => ops.crossEntropy(x, labels, { weights: [1, 2, 0.5] }),
    shapes: [[6, 3]],
  },
];

/** One unary op on a vector of n (sizes around the SIMD width: 1, 3, 15, 17, 255). */
const unaryAt = (op: 'gelu' | 'exp' | 'sigmoid' | 'tanh' | 'relu' | 'hardswish', n: number): OpCase => ({
  name: `${op} n=${n}`,
  f: (x) => x.mul(3)[op](),
  shapes: [[n]],
});

/**
 * Cases that reach every kernel path of the wasm backend (each broadcast layout of binary, the
 * reversed ops of a broadcast left operand, the JS fallbacks, transposing and non-transposing
 * permutes, odd channel counts of the spatial kernels) at sizes that are not multiples of the SIMD
 * width. Conformance only: some are too large for finite differences to be quick.
 */
export const kernelPathCases: OpCase[] = [
  ...[1, 3, 15, 17, 255].flatMap((n) => [unaryAt('gelu', n), unaryAt('exp', n)]),
  ...(['sigmoid', 'tanh', 'relu', 'hardswish'] as const).map((op) => unaryAt(op, 17)),
  { name: 'log n=255', f: (x) => x.log(), shapes: [[255]], range: [0.1, 3] },
  { name: 'rsqrt via div n=17', f: (x) => x.sqrt().mul(x.square()), shapes: [[17]], range: [0.2, 2] },
  { name: 'add same shape n=1', f: (a, b) => a.add(b), shapes: [[1], [1]] },
  { name: 'mul same shape n=255', f: (a, b) => a.mul(b), shapes: [[255], [255]] },
  { name: 'sub row [15,17]−[17]', f: (a, b) => a.sub(b), shapes: [[15, 17], [17]] },
  {
    name: 'div row, broadcast left [3]/[5,3]',
    f: (a, b) => a.div(b.square().add(0.5)),
    shapes: [[3], [5, 3]],
  },
  {
    name: 'mul column [17,3]·[17,1]',
    f: (a, b) => a.mul(b),
    shapes: [
      [17, 3],
      [17, 1],
    ],
  },
  {
    name: 'sub column, broadcast left [3,1]−[3,17]',
    f: (a, b) => a.sub(b),
    shapes: [
      [3, 1],
      [3, 17],
    ],
  },
  { name: 'div scalar [15,3]/[1]', f: (a, b) => a.div(b.square().add(0.5)), shapes: [[15, 3], [1]] },
  { name: 'sub scalar left [1]−[17]', f: (a, b) => a.sub(b), shapes: [[1], [17]] },
  {
    name: 'mul outer axes [2,3,17]·[2,1,17]',
    f: (a, b) => a.mul(b),
    shapes: [
      [2, 3, 17],
      [2, 1, 17],
    ],
  },
  {
    name: 'add two-sided [3,1]+[1,15]',
    f: (a, b) => a.add(b),
    shapes: [
      [3, 1],
      [1, 15],
    ],
    fallbacks: ['binary'],
  },
  {
    name: 'mul row by column [3,1,5]·[4,1]',
    f: (a, b) => a.mul(b),
    shapes: [
      [3, 1, 5],
      [4, 1],
    ],
    fallbacks: ['binary'],
  },
  { name: 'sum n=255', f: (x) => x.sum(), shapes: [[255]] },
  { name: 'sum columns [17,15]', f: (x) => x.sum(0), shapes: [[17, 15]] },
  { name: 'mean middle [3,17,5]', f: (x) => x.mean(1), shapes: [[3, 17, 5]] },
  { name: 'max rows [15,17]', f: (x) => x.max(1), shapes: [[15, 17]] },
  { name: 'softmax cols=1', f: (x) => x.softmax(), shapes: [[3, 1]] },
  { name: 'softmax cols=17', f: (x) => x.mul(3).softmax(), shapes: [[15, 17]] },
  { name: 'logSoftmax cols=3', f: (x) => x.mul(3).logSoftmax(), shapes: [[17, 3]] },
  { name: 'layerNorm cols=17', f: (x, g, b) => ops.layerNorm(x, g, b, 1e-6), shapes: [[15, 17], [17], [17]] },
  { name: 'layerNorm cols=3', f: (x, g, b) => ops.layerNorm(x, g, b, 1e-6), shapes: [[5, 3], [3], [3]] },
  {
    name: 'batchNorm [2,15,17]',
    f: (x, g, b) => ops.batchNorm(x, g, b, 1e-5, { mean: new Float64Array(17), var: new Float64Array(17) }),
    shapes: [[2, 15, 17], [17], [17]],
  },
  { name: 'permute 2-D transpose [17,15]', f: (x) => x.permute([1, 0]), shapes: [[17, 15]] },
  { name: 'permute [0,2,1] [3,17,5]', f: (x) => x.permute([0, 2, 1]), shapes: [[3, 17, 5]] },
  {
    name: 'permute [0,2,1,3]',
    f: (x) => x.permute([0, 2, 1, 3]),
    shapes: [[2, 3, 5, 3]],
    fallbacks: ['permute'],
  },
  { name: 'permute identity', f: (x) => x.permute([0, 1]), shapes: [[3, 17]] },
  {
    name: 'concat last axis 3+17',
    f: (a, b) => ops.concat([a, b], 2),
    shapes: [
      [2, 5, 3],
      [2, 5, 17],
    ],
  },
  { name: 'slice last axis', f: (x) => ops.slice(x, 2, 1, 15), shapes: [[2, 3, 17]] },
  {
    name: 'conv k3s2p1 cin=17',
    f: (x, w, b) => ops.conv2d(x, w, b, 2, 1),
    shapes: [[2, 7, 6, 17], [3, 3, 3, 17], [3]],
  },
  {
    name: 'dwconv 3x3 pad 0 C=17',
    f: (x, w, b) => ops.dwconv2d(x, w, b, 1, 0),
    shapes: [[2, 5, 6, 17], [3, 3, 17], [17]],
  },
  {
    name: 'dwconv 3x3 s1 C=1',
    f: (x, w) => ops.dwconv2d(x, w, undefined, 1, 1),
    shapes: [
      [1, 5, 4, 1],
      [3, 3, 1],
    ],
  },
  {
    name: 'dwconv 7x7 s2 C=15',
    f: (x, w, b) => ops.dwconv2d(x, w, b, 2, 3),
    shapes: [[1, 9, 8, 15], [7, 7, 15], [15]],
  },
  { name: 'resize up C=1', f: (x) => ops.resize(x, 9, 11), shapes: [[2, 4, 5, 1]] },
  { name: 'resize up C=3', f: (x) => ops.resize(x, 8, 7), shapes: [[1, 3, 4, 3]] },
  { name: 'resize down C=17', f: (x) => ops.resize(x, 3, 2), shapes: [[2, 7, 5, 17]] },
  {
    name: 'attention heads=3 N=17 Nk=15',
    f: (q, k, v) => ops.attention(q, k, v, 3, 0.4),
    shapes: [
      [2, 17, 9],
      [2, 15, 9],
      [2, 15, 9],
    ],
  },
  {
    name: 'cross-entropy 255 rows, 19 classes',
    f: (x) =>
      ops.crossEntropy(
        x,
        Array.from({ length: 255 }, (_, i) => (i % 7 === 0 ? 255 : i % 19)),
      ),
    shapes: [[255, 19]],
    range: [-4, 4],
  },
  {
    name: 'fakeQuant per tensor, clipping grid [-8, 7], z = 1',
    f: (x, s) =>
      ops.fakeQuant(x.mul(2), s.abs().add(0.3), { zeroPoint: 1, qmin: -8, qmax: 7, gradScale: 0.5 }),
    shapes: [[17, 15], [1]],
  },
  {
    name: 'fakeQuant per channel, floor',
    f: (x, s) =>
      ops.fakeQuant(x, s.abs().add(0.01), {
        zeroPoint: 0,
        qmin: -127,
        qmax: 127,
        gradScale: 1,
        rounding: 'floor',
      }),
    shapes: [[5, 17], [5]],
  },
  {
    name: 'fakeQuant on a uint8 grid',
    f: (x, s) => ops.fakeQuant(x, s.abs().add(0.01), { zeroPoint: 128, qmin: 0, qmax: 255, gradScale: 1 }),
    shapes: [[3, 17], [1]],
    fallbacks: ['fakeQuant', 'fakeQuantGrad'],
  },
  {
    name: 'cross-entropy every row ignored',
    f: (x) => ops.crossEntropy(x, [255, 255, 255]),
    shapes: [[3, 5]],
  },
];
