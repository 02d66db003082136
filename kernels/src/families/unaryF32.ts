// families/unaryF32.ts — manifest entries and typed wrappers for assembly/unary_f32/: y = f(x) and
// dx = dy·f'(x) for the autograd Backend's unary ops (neg … hardsigmoid), plus erf. One export per op
// and direction, named like `gelu_f32__simd` / `gelu_grad_f32__simd`.
import type { KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';
import { inPlaceOrDisjoint, restOf, type Span, sameMemory, span } from './span.js';

/** The ops with a forward and a backward kernel: exactly the autograd Backend's UnaryOp. */
export const UNARY_F32_OPS = [
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
export type UnaryOpF32 = (typeof UNARY_F32_OPS)[number];

const FORWARD: Record<UnaryOpF32 | 'erf', string> = {
  neg: 'y = −x',
  exp: 'y = e^x (≤ 2 ulp; below 2^−126 flushed to 0)',
  log: 'y = ln x (≤ 1 ulp; ±0 → −∞, x < 0 → NaN)',
  sqrt: 'y = √x (correctly rounded)',
  rsqrt: 'y = 1/√x (≤ 1.5 ulp)',
  abs: 'y = |x|',
  square: 'y = x²',
  relu: 'y = max(x, 0)',
  gelu: 'y = x·Φ(x), exact-erf GELU (Φ within 1e−7)',
  sigmoid: 'y = 1/(1 + e^−x) (≤ 2 ulp)',
  tanh: 'y = tanh x (≤ 2 ulp)',
  hardswish: 'y = x·relu6(x + 3)/6',
  hardsigmoid: 'y = relu6(x + 3)/6',
  erf: 'y = erf x (within 2e−7)',
};

/** Which inputs each backward reads besides dy (ArrayBackend.unaryDerivative's x and y). */
export const UNARY_F32_GRAD_READS: Record<UnaryOpF32, { x: boolean; y: boolean }> = {
  neg: { x: false, y: false },
  exp: { x: false, y: true },
  log: { x: true, y: false },
  sqrt: { x: false, y: true },
  rsqrt: { x: true, y: true },
  abs: { x: true, y: false },
  square: { x: true, y: false },
  relu: { x: true, y: false },
  gelu: { x: true, y: false },
  sigmoid: { x: false, y: true },
  tanh: { x: false, y: true },
  hardswish: { x: true, y: false },
  hardsigmoid: { x: true, y: false },
};

function grad(op: UnaryOpF32): string {
  const r = UNARY_F32_GRAD_READS[op];
  const from = r.x && r.y ? 'x and y' : r.x ? 'x' : r.y ? 'y = f(x)' : 'dy only';
  return `dx = dy·${op}'(x), from ${from}`;
}

const isas = ['scalar', 'simd128'] as const;
const suffix = (isa: Isa) => (isa === 'simd128' ? 'simd' : 'scalar');

export const unaryF32Kernels: KernelInfo[] = [
  ...[...UNARY_F32_OPS, 'erf' as const].flatMap((op) =>
    isas.map((isa) => ({
      name: `${op}_f32__${suffix(isa)}`,
      family: 'unary_f32',
      op: `${op}_f32`,
      isa,
      summary: FORWARD[op],
    })),
  ),
  ...UNARY_F32_OPS.flatMap((op) =>
    isas.map((isa) => ({
      name: `${op}_grad_f32__${suffix(isa)}`,
      family: 'unary_f32',
      op: `${op}_grad_f32`,
      isa,
      summary: grad(op),
    })),
  ),
];

function expectOp(op: string, allowErf: boolean): void {
  if ((UNARY_F32_OPS as readonly string[]).includes(op) || (allowErf && op === 'erf')) return;
  throw new Error(
    `unary_f32: unknown op "${op}". Expected one of ${[...UNARY_F32_OPS, ...(allowErf ? ['erf'] : [])].join(', ')}.`,
  );
}

export interface UnaryF32Options {
  /** Elements (default: what x has after xOffset). */
  n?: number;
  /** Element offsets into the buffers. */
  xOffset?: number;
  yOffset?: number;
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
}

/** y[i] = f(x[i]) for i < n. y may be x (in place, same offset); other overlaps throw. */
export function unaryF32(
  k: Kernels,
  op: UnaryOpF32 | 'erf',
  x: KBuf,
  y: KBuf,
  o: UnaryF32Options = {},
): void {
  expectOp(op, true);
  const name = `${op}_f32`;
  const xo = o.xOffset ?? 0;
  const n = o.n ?? restOf(name, 'x', x, xo);
  const sx = span(name, 'x', x, xo, n, 'n');
  const sy = span(name, 'y', y, o.yOffset ?? 0, n, 'n');
  sameMemory(name, [sx, sy]);
  inPlaceOrDisjoint(name, sx, sy);
  k.fn(k.pick(name, o.isa))(sx.ptr, sy.ptr, n);
}

export interface UnaryGradF32Buffers {
  /** Forward input; needed by the ops of UNARY_F32_GRAD_READS with x: true (else may be null). */
  x?: KBuf | null;
  /** Forward output f(x); needed by exp, sqrt, rsqrt, sigmoid, tanh (else may be null). */
  y?: KBuf | null;
  dy: KBuf;
  dx: KBuf;
}

export interface UnaryGradF32Options {
  /** Elements (default: what dy has after dyOffset). */
  n?: number;
  xOffset?: number;
  yOffset?: number;
  dyOffset?: number;
  dxOffset?: number;
  isa?: Isa;
}

/**
 * dx[i] = dy[i]·f'(x[i]) (overwrites dx), the backward of `op` as ArrayBackend.unaryGrad computes it.
 * dx may be dy, x or y (in place, same offset); other overlaps throw.
 */
export function unaryGradF32(
  k: Kernels,
  op: UnaryOpF32,
  b: UnaryGradF32Buffers,
  o: UnaryGradF32Options = {},
): void {
  expectOp(op, false);
  const name = `${op}_grad_f32`;
  const reads = UNARY_F32_GRAD_READS[op];
  const dyo = o.dyOffset ?? 0;
  const n = o.n ?? restOf(name, 'dy', b.dy, dyo);
  const sdy = span(name, 'dy', b.dy, dyo, n, 'n');
  const sdx = span(name, 'dx', b.dx, o.dxOffset ?? 0, n, 'n');
  const inputs: Span[] = [sdy];
  let px = 0;
  let py = 0;
  if (reads.x) {
    if (!b.x)
      throw new Error(`${name}: x is missing. Expected the forward input (the backward of ${op} reads it).`);
    const sx = span(name, 'x', b.x, o.xOffset ?? 0, n, 'n');
    inputs.push(sx);
    px = sx.ptr;
  }
  if (reads.y) {
    if (!b.y)
      throw new Error(`${name}: y is missing. Expected the forward output (the backward of ${op} reads it).`);
    const sy = span(name, 'y', b.y, o.yOffset ?? 0, n, 'n');
    inputs.push(sy);
    py = sy.ptr;
  }
  sameMemory(name, [sdx, ...inputs]);
  for (const s of inputs) inPlaceOrDisjoint(name, s, sdx);
  k.fn(k.pick(name, o.isa))(px, py, sdy.ptr, sdx.ptr, n);
}
