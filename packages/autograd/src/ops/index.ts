// ops/index.ts — the functional API: one call per differentiable op.
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import type { Shape, Tensor } from '../tensor.js';
import { Attention } from './attention.js';
import { Conv2d, DWConv2d } from './conv.js';
import { Affine, Binary, Clamp, Unary } from './elementwise.js';
import { CrossEntropy, type CrossEntropyOptions } from './loss.js';
import { Linear, MatMul } from './matmul.js';
import { BatchNorm, LayerNorm } from './norm.js';
import { Reduce } from './reduce.js';
import { Resize } from './resize.js';
import { Concat, Permute, Reshape, Slice } from './shape.js';
import { Softmax } from './softmax.js';

export type { CrossEntropyOptions };
export const unary = (op: UnaryOp, x: Tensor) => Unary.apply(op, x);
export const binary = (op: BinaryOp, a: Tensor, b: Tensor) => Binary.apply(op, a, b);
/** y = x·scale + shift */
export const affine = (x: Tensor, scale: number, shift: number) => Affine.apply(x, scale, shift);
/** min(hi, max(lo, x)) */
export const clamp = (x: Tensor, lo: number, hi: number) => Clamp.apply(x, lo, hi);
export const matmul = (a: Tensor, b: Tensor, transA = false, transB = false) =>
  MatMul.apply(a, b, transA, transB);
/** y = x·Wᵀ + b, W [out, in] */
export const linear = (x: Tensor, w: Tensor, b?: Tensor) => (b ? Linear.apply(x, w, b) : Linear.apply(x, w));
export const reshape = (x: Tensor, shape: Shape) => Reshape.apply(x, shape);
export const permute = (x: Tensor, perm: number[]) => Permute.apply(x, perm);
export const concat = (xs: Tensor[], axis: number) => Concat.apply(axis, ...xs);
export const slice = (x: Tensor, axis: number, start: number, length: number) =>
  Slice.apply(x, axis, start, length);
export const reduce = (
  op: 'sum' | 'max',
  x: Tensor,
  axes: number | number[] | undefined,
  keepDims: boolean,
) => Reduce.apply(op, x, axes, keepDims);
export const softmax = (x: Tensor, log: boolean) => Softmax.apply(x, log);
export const layerNorm = (x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5) =>
  LayerNorm.apply(x, gamma, beta, eps);
export const batchNorm = (
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
  stats: { mean: Float64Array; var: Float64Array },
) => BatchNorm.apply(x, gamma, beta, eps, stats);
/** NHWC conv, weight [Cout, kh, kw, Cin] */
export const conv2d = (x: Tensor, w: Tensor, b: Tensor | undefined, stride = 1, pad = 0) =>
  b ? Conv2d.apply(x, w, b, stride, pad) : Conv2d.apply(x, w, undefined, stride, pad);
/** NHWC depthwise conv, weight [kh, kw, C] */
export const dwconv2d = (x: Tensor, w: Tensor, b: Tensor | undefined, stride = 1, pad = 0, dilation = 1) =>
  b ? DWConv2d.apply(x, w, b, stride, pad, dilation) : DWConv2d.apply(x, w, undefined, stride, pad, dilation);
export const resize = (x: Tensor, outH: number, outW: number) => Resize.apply(x, outH, outW);
export const attention = (q: Tensor, k: Tensor, v: Tensor, heads: number, scale: number) =>
  Attention.apply(q, k, v, heads, scale);
export const crossEntropy = (logits: Tensor, labels: ArrayLike<number>, o: CrossEntropyOptions = {}) =>
  CrossEntropy.apply(logits, labels, o);
export { type FakeQuantParams, fakeQuant } from './fakeQuant.js';
