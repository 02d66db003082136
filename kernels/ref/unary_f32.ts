// ref/unary_f32.ts — plain-TS twins of assembly/unary_f32/*, in f64: the math of ArrayBackend's
// unaryFn / unaryDerivative (packages/autograd), which is the semantics the kernels implement.
// The kernels' documented deviations (exp/sigmoid flush results below 2^−126 to +0; gelu at ±∞ gives
// its limits) are the tests' business, not the twin's.
import { erf } from './erf.js';

export { erf } from './erf.js';

export const UNARY_OPS = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'rsqrt',
  'abs',
  'square',
  'relu',
  'gelu',
  'sigmoid',
  'tanh',
  'hardswish',
  'hardsigmoid',
] as const;
/** The ops with a forward and a backward kernel (the autograd Backend's UnaryOp). */
export type UnaryOpName = (typeof UNARY_OPS)[number];

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** f(v) in f64. */
export function unaryF64(op: UnaryOpName | 'erf', v: number): number {
  switch (op) {
    case 'neg':
      return -v;
    case 'exp':
      return Math.exp(v);
    case 'log':
      return Math.log(v);
    case 'sqrt':
      return Math.sqrt(v);
    case 'rsqrt':
      return 1 / Math.sqrt(v);
    case 'abs':
      return Math.abs(v);
    case 'square':
      return v * v;
    case 'relu':
      return Math.max(v, 0);
    case 'gelu':
      return 0.5 * v * (1 + erf(v * Math.SQRT1_2));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'tanh':
      return Math.tanh(v);
    case 'hardswish':
      return v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6;
    case 'hardsigmoid':
      return v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5;
    case 'erf':
      return erf(v);
  }
}

/** f'(x) in f64, from x and y = f(x) exactly as ArrayBackend.unaryDerivative takes them. */
export function unaryDerivativeF64(op: UnaryOpName, x: number, y: number): number {
  switch (op) {
    case 'neg':
      return -1;
    case 'exp':
      return y;
    case 'log':
      return 1 / x;
    case 'sqrt':
      return 0.5 / y;
    case 'rsqrt':
      return (-0.5 * y) / x;
    case 'abs':
      return x > 0 ? 1 : x < 0 ? -1 : 0;
    case 'square':
      return 2 * x;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'gelu':
      return 0.5 * (1 + erf(x * Math.SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'hardswish':
      return x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6;
    case 'hardsigmoid':
      return x <= -3 || x >= 3 ? 0 : 1 / 6;
  }
}

/** y[i] = f(x[i]) in f64. */
export function unaryF32(op: UnaryOpName | 'erf', x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = unaryF64(op, x[i]);
  return y;
}

/** dx[i] = dy[i]·f'(x[i], y[i]) in f64 (y: the f32 forward output the backward is given). */
export function unaryGradF32(
  op: UnaryOpName,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
): Float64Array {
  const dx = new Float64Array(dy.length);
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * unaryDerivativeF64(op, x[i], y[i]);
  return dx;
}
