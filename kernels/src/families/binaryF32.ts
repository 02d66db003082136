// families/binaryF32.ts — manifest entries and typed wrappers for assembly/binary_f32/: out = a ∘ b in
// the four layouts the models use (same shape, row broadcast a[rows×cols] ∘ b[cols], column
// broadcast a[rows×cols] ∘ b[rows], scalar a ∘ s), y += α·x and y = x·scale + shift; plus
// binaryBroadcastF32, which takes ArrayBackend.binary's (strides, shape) arguments and maps them onto
// those layouts (or says it cannot).
import type { KBuf } from '../kbuf.js';
import { expectInt } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';
import { disjoint, expectFinite, inPlaceOrDisjoint, restOf, sameMemory, span } from './span.js';

/** Op codes of the `op` argument (assembly/binary_f32/binary_ops.ts). */
export const BINARY_F32_OPS = ['add', 'sub', 'mul', 'div', 'max', 'min', 'rsub', 'rdiv'] as const;
export type BinaryOpF32 = (typeof BINARY_F32_OPS)[number];

const ops = [
  ['binary_f32', 'out[i] = a[i] ∘ b[i], ∘ = add sub mul div max min rsub rdiv (op code)'],
  ['binary_row_f32', 'out[r][c] = a[r][c] ∘ b[c] (bias, per-channel scale)'],
  ['binary_col_f32', 'out[r][c] = a[r][c] ∘ b[r] (per-row scale)'],
  ['binary_scalar_f32', 'out[i] = a[i] ∘ s'],
  ['axpy_f32', 'y[i] += α·x[i] (gradient accumulation)'],
  ['affine_f32', 'y[i] = x[i]·scale + shift'],
] as const;

export const binaryF32Kernels: KernelInfo[] = ops.flatMap(([op, summary]) =>
  (['scalar', 'simd128'] as const).map((isa) => ({
    name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
    family: 'binary_f32',
    op,
    isa,
    summary,
  })),
);

function opCode(name: string, op: BinaryOpF32): number {
  const code = BINARY_F32_OPS.indexOf(op);
  if (code < 0) {
    throw new Error(`${name}: unknown op "${op}". Expected one of ${BINARY_F32_OPS.join(', ')}.`);
  }
  return code;
}

/** The op with its operands swapped: a ∘ b = b ∘' a. */
export function reversedBinaryOp(op: BinaryOpF32): BinaryOpF32 {
  switch (op) {
    case 'sub':
      return 'rsub';
    case 'rsub':
      return 'sub';
    case 'div':
      return 'rdiv';
    case 'rdiv':
      return 'div';
    default:
      return op;
  }
}

export interface BinaryF32Options {
  /** Elements (default: what a has after aOffset). */
  n?: number;
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  isa?: Isa;
}

/** out[i] = a[i] ∘ b[i] for i < n. out may be a or b (in place, same offset). */
export function binaryF32(
  k: Kernels,
  op: BinaryOpF32,
  a: KBuf,
  b: KBuf,
  out: KBuf,
  o: BinaryF32Options = {},
): void {
  const name = 'binary_f32';
  const code = opCode(name, op);
  const ao = o.aOffset ?? 0;
  const n = o.n ?? restOf(name, 'a', a, ao);
  const sa = span(name, 'a', a, ao, n, 'n');
  const sb = span(name, 'b', b, o.bOffset ?? 0, n, 'n');
  const so = span(name, 'out', out, o.outOffset ?? 0, n, 'n');
  sameMemory(name, [sa, sb, so]);
  inPlaceOrDisjoint(name, sa, so);
  inPlaceOrDisjoint(name, sb, so);
  k.fn(k.pick(name, o.isa))(code, sa.ptr, sb.ptr, so.ptr, n);
}

export interface BinaryMatrixF32Options {
  rows: number;
  cols: number;
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  isa?: Isa;
}

function matrix(
  name: 'binary_row_f32' | 'binary_col_f32',
  k: Kernels,
  op: BinaryOpF32,
  a: KBuf,
  b: KBuf,
  out: KBuf,
  o: BinaryMatrixF32Options,
): void {
  const code = opCode(name, op);
  const { rows, cols } = o;
  expectInt(name, 'rows', rows, 0);
  expectInt(name, 'cols', cols, 0);
  const n = rows * cols;
  if (n > 2 ** 31 - 1) throw new Error(`${name}: rows·cols = ${n} elements. Expected at most 2^31 − 1.`);
  const nb = name === 'binary_row_f32' ? cols : rows;
  const sa = span(name, 'a', a, o.aOffset ?? 0, n, 'rows·cols');
  const sb = span(name, 'b', b, o.bOffset ?? 0, nb, name === 'binary_row_f32' ? 'cols' : 'rows');
  const so = span(name, 'out', out, o.outOffset ?? 0, n, 'rows·cols');
  sameMemory(name, [sa, sb, so]);
  inPlaceOrDisjoint(name, sa, so);
  disjoint(name, sb, so, 'b is read again for every row');
  k.fn(k.pick(name, o.isa))(code, sa.ptr, sb.ptr, so.ptr, rows, cols);
}

/** out[r][c] = a[r][c] ∘ b[c] over a [rows×cols] (row-major); out may be a (in place). */
export function binaryRowF32(
  k: Kernels,
  op: BinaryOpF32,
  a: KBuf,
  b: KBuf,
  out: KBuf,
  o: BinaryMatrixF32Options,
): void {
  matrix('binary_row_f32', k, op, a, b, out, o);
}

/** out[r][c] = a[r][c] ∘ b[r] over a [rows×cols] (row-major); out may be a (in place). */
export function binaryColF32(
  k: Kernels,
  op: BinaryOpF32,
  a: KBuf,
  b: KBuf,
  out: KBuf,
  o: BinaryMatrixF32Options,
): void {
  matrix('binary_col_f32', k, op, a, b, out, o);
}

/** out[i] = a[i] ∘ s (s rounded to f32); out may be a (in place). */
export function binaryScalarF32(
  k: Kernels,
  op: BinaryOpF32,
  a: KBuf,
  s: number,
  out: KBuf,
  o: Omit<BinaryF32Options, 'bOffset'> = {},
): void {
  const name = 'binary_scalar_f32';
  const code = opCode(name, op);
  if (typeof s !== 'number')
    throw new Error(`${name}: s must be a number. Expected a number, got ${typeof s}.`);
  const ao = o.aOffset ?? 0;
  const n = o.n ?? restOf(name, 'a', a, ao);
  const sa = span(name, 'a', a, ao, n, 'n');
  const so = span(name, 'out', out, o.outOffset ?? 0, n, 'n');
  sameMemory(name, [sa, so]);
  inPlaceOrDisjoint(name, sa, so);
  k.fn(k.pick(name, o.isa))(code, sa.ptr, s, so.ptr, n);
}

export interface AxpyF32Options {
  /** Elements (default: what y has after yOffset). */
  n?: number;
  xOffset?: number;
  yOffset?: number;
  isa?: Isa;
}

/** y[i] = y[i] + alpha·x[i] (alpha rounded to f32); x may be y. With alpha = 1 it is y + x exactly. */
export function axpyF32(k: Kernels, x: KBuf, y: KBuf, alpha: number, o: AxpyF32Options = {}): void {
  const name = 'axpy_f32';
  expectFinite(name, 'alpha', alpha);
  const yo = o.yOffset ?? 0;
  const n = o.n ?? restOf(name, 'y', y, yo);
  const sx = span(name, 'x', x, o.xOffset ?? 0, n, 'n');
  const sy = span(name, 'y', y, yo, n, 'n');
  sameMemory(name, [sx, sy]);
  inPlaceOrDisjoint(name, sx, sy);
  k.fn(k.pick(name, o.isa))(sx.ptr, sy.ptr, n, alpha);
}

export interface AffineF32Options {
  /** Elements (default: what x has after xOffset). */
  n?: number;
  xOffset?: number;
  yOffset?: number;
  isa?: Isa;
}

/** y[i] = x[i]·scale + shift (ArrayBackend.affine; scale and shift rounded to f32); y may be x. */
export function affineF32(
  k: Kernels,
  x: KBuf,
  y: KBuf,
  scale: number,
  shift: number,
  o: AffineF32Options = {},
): void {
  const name = 'affine_f32';
  if (typeof scale !== 'number' || typeof shift !== 'number') {
    throw new Error(
      `${name}: scale and shift must be numbers. Expected numbers, got ${typeof scale}, ${typeof shift}.`,
    );
  }
  const xo = o.xOffset ?? 0;
  const n = o.n ?? restOf(name, 'x', x, xo);
  const sx = span(name, 'x', x, xo, n, 'n');
  const sy = span(name, 'y', y, o.yOffset ?? 0, n, 'n');
  sameMemory(name, [sx, sy]);
  inPlaceOrDisjoint(name, sx, sy);
  k.fn(k.pick(name, o.isa))(sx.ptr, sy.ptr, n, scale, shift);
}

// ---- ArrayBackend.binary's arguments --------------------------------------------------------------

type Pattern = 'full' | 'row' | 'col' | 'scalar' | null;

function pattern(strides: number[], rows: number, cols: number, nd: number): Pattern {
  const sc = strides[nd - 1];
  const sr = nd >= 2 ? strides[nd - 2] : 0;
  if (nd === 1) return sc === 1 ? 'full' : sc === 0 ? 'scalar' : null;
  if (sc === 1 && sr === cols) return 'full';
  if (sc === 1 && sr === 0) return 'row';
  if (sc === 0 && sr === 1 && rows > 0) return 'col';
  if (sc === 0 && sr === 0) return 'scalar';
  return null;
}

export interface BinaryBroadcastF32Options {
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  isa?: Isa;
}

/**
 * ArrayBackend.binary: out (contiguous, `shape`) = a ∘ b, a read at Σ index·aStrides (stride 0
 * broadcasts), b likewise. Size-1 axes are dropped and mergeable axes merged; if the two innermost
 * remaining axes are a full matrix against a full one, a row, a column or a scalar (either side), the
 * matching kernel runs once per index of the outer axes. Returns false, having done nothing, for any
 * other pattern (a transposed or two-sided broadcast): the caller then runs its own loop.
 */
export function binaryBroadcastF32(
  k: Kernels,
  op: BinaryOpF32,
  a: KBuf,
  aStrides: readonly number[],
  b: KBuf,
  bStrides: readonly number[],
  out: KBuf,
  shape: readonly number[],
  o: BinaryBroadcastF32Options = {},
): boolean {
  const name = 'binary_f32';
  opCode(name, op);
  if (aStrides.length !== shape.length || bStrides.length !== shape.length) {
    throw new Error(
      `${name}: strides do not match the shape. Expected ${shape.length} strides for [${shape.join(',')}], ` +
        `got a [${aStrides.join(',')}] and b [${bStrides.join(',')}].`,
    );
  }
  const total = shape.reduce((p, s) => p * s, 1);
  if (total === 0) return true;
  // Drop size-1 axes, then merge neighbours that are contiguous in both operands.
  const dims: { n: number; a: number; b: number }[] = [];
  shape.forEach((n, d) => {
    if (n !== 1) dims.push({ n, a: aStrides[d], b: bStrides[d] });
  });
  if (dims.length === 0) dims.push({ n: 1, a: 1, b: 1 });
  for (let d = dims.length - 2; d >= 0; d--) {
    const hi = dims[d];
    const lo = dims[d + 1];
    if (hi.a === lo.a * lo.n && hi.b === lo.b * lo.n) {
      dims.splice(d, 2, { n: hi.n * lo.n, a: lo.a, b: lo.b });
    }
  }
  const nd = dims.length;
  const cols = dims[nd - 1].n;
  const rows = nd >= 2 ? dims[nd - 2].n : 1;
  const inner = nd >= 2 ? 2 : 1;
  const last = dims.slice(nd - inner);
  const pa = pattern(
    last.map((d) => d.a),
    rows,
    cols,
    inner,
  );
  const pb = pattern(
    last.map((d) => d.b),
    rows,
    cols,
    inner,
  );
  const outer = dims.slice(0, nd - inner);
  const aOff = o.aOffset ?? 0;
  const bOff = o.bOffset ?? 0;
  const outOff = o.outOffset ?? 0;
  const block = inner === 2 ? rows * cols : cols;
  let call: ((ao: number, bo: number, oo: number) => void) | null = null;
  const isa = o.isa;
  const scalarOf = (buf: KBuf, at: number) => {
    if (at < 0 || at >= buf.length) {
      throw new Error(`${name}: a broadcast scalar at element ${at} is outside its buffer of ${buf.length}.`);
    }
    return (buf.view() as Float32Array)[at];
  };
  if (pa === 'full' && pb === 'full') {
    call = (ao, bo, oo) =>
      binaryF32(k, op, a, b, out, { n: block, aOffset: ao, bOffset: bo, outOffset: oo, isa });
  } else if (pa === 'full' && pb === 'row') {
    call = (ao, bo, oo) =>
      binaryRowF32(k, op, a, b, out, { rows, cols, aOffset: ao, bOffset: bo, outOffset: oo, isa });
  } else if (pa === 'full' && pb === 'col') {
    call = (ao, bo, oo) =>
      binaryColF32(k, op, a, b, out, { rows, cols, aOffset: ao, bOffset: bo, outOffset: oo, isa });
  } else if (pa === 'full' && pb === 'scalar') {
    call = (ao, bo, oo) =>
      binaryScalarF32(k, op, a, scalarOf(b, bo), out, { n: block, aOffset: ao, outOffset: oo, isa });
  } else if (pa === 'row' && pb === 'full') {
    const rop = reversedBinaryOp(op);
    call = (ao, bo, oo) =>
      binaryRowF32(k, rop, b, a, out, { rows, cols, aOffset: bo, bOffset: ao, outOffset: oo, isa });
  } else if (pa === 'col' && pb === 'full') {
    const rop = reversedBinaryOp(op);
    call = (ao, bo, oo) =>
      binaryColF32(k, rop, b, a, out, { rows, cols, aOffset: bo, bOffset: ao, outOffset: oo, isa });
  } else if (pa === 'scalar' && pb === 'full') {
    const rop = reversedBinaryOp(op);
    call = (ao, bo, oo) =>
      binaryScalarF32(k, rop, b, scalarOf(a, ao), out, { n: block, aOffset: bo, outOffset: oo, isa });
  }
  if (!call) return false;
  // Outer axes: one kernel call per index, offsets walked like ArrayBackend's counter.
  const idx = new Array<number>(outer.length).fill(0);
  const count = outer.reduce((p, d) => p * d.n, 1);
  let ao = aOff;
  let bo = bOff;
  for (let c = 0; c < count; c++) {
    call(ao, bo, outOff + c * block);
    for (let d = outer.length - 1; d >= 0; d--) {
      idx[d]++;
      ao += outer[d].a;
      bo += outer[d].b;
      if (idx[d] < outer[d].n) break;
      ao -= outer[d].a * outer[d].n;
      bo -= outer[d].b * outer[d].n;
      idx[d] = 0;
    }
  }
  return true;
}
