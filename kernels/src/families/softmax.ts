// families/softmax.ts — manifest entries and typed wrappers for assembly/softmax/.
import { expectBuf, expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const ops = [
  ['softmax_f32', 'y = e^(x−max)/Σe^(x−max) per row, strided rows, in place allowed'],
  ['log_softmax_f32', 'y = (x−max) − log Σe^(x−max) per row, strided rows, in place allowed'],
  ['exp_minus_max_f32', 'y = e^(x−max), returns Σy (the exp pass of softmax)'],
] as const;

// The relaxed variants differ only in their exp: fused multiply-adds (relaxed_madd), a third fewer
// vector operations on the pass that is ~85% of a softmax.
export const softmaxKernels: KernelInfo[] = ops.flatMap(([op, summary]) =>
  (['scalar', 'simd128', 'relaxed'] as const).map((isa) => ({
    name: `${op}__${isa === 'simd128' ? 'simd' : isa}`,
    family: 'softmax',
    op,
    isa,
    summary,
  })),
);

export interface SoftmaxOptions {
  rows: number;
  cols: number;
  /** Row stride of x in elements (default cols). */
  ldx?: number;
  /** Row stride of y in elements (default cols). */
  ldy?: number;
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
}

/** Checks shape, strides, sizes and aliasing, and returns the resolved strides. */
function rowsLayout(op: string, x: KBuf, y: KBuf, o: SoftmaxOptions): { ldx: number; ldy: number } {
  const { rows, cols } = o;
  const ldx = o.ldx ?? cols;
  const ldy = o.ldy ?? cols;
  expectInt(op, 'rows', rows, 0);
  expectInt(op, 'cols', cols, 0);
  expectInt(op, 'ldx', ldx, cols);
  expectInt(op, 'ldy', ldy, cols);
  const need = (ld: number) => (rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols);
  const why = (ld: string) => `(rows−1)·${ld} + cols for rows=${rows}, cols=${cols}`;
  expectBuf(op, 'x', x, 'f32', need(ldx), why('ldx'));
  expectBuf(op, 'y', y, 'f32', need(ldy), why('ldy'));
  if (x.arena !== y.arena) {
    throw new Error(`${op}: x and y live in different kernel memories. Expected both from the same Kernels.`);
  }
  if (x.ptr === y.ptr) {
    if (ldx !== ldy && rows > 1) {
      throw new Error(`${op}: in place (x is y) needs equal strides. Expected ldy = ${ldx}, got ${ldy}.`);
    }
  } else {
    const xEnd = x.ptr + need(ldx) * 4;
    const yEnd = y.ptr + need(ldy) * 4;
    if (need(ldx) > 0 && need(ldy) > 0 && x.ptr < yEnd && y.ptr < xEnd) {
      throw new Error(
        `${op}: x and y overlap without being the same buffer. Expected disjoint buffers or x === y (in place), ` +
          `got x at [${x.ptr}, ${xEnd}) and y at [${y.ptr}, ${yEnd}).`,
      );
    }
  }
  return { ldx, ldy: x.ptr === y.ptr && rows <= 1 ? ldx : ldy };
}

/**
 * Row-wise softmax of x [rows × cols] (row stride ldx) into y (row stride ldy); x may be y.
 * A row of −∞ only (fully masked) gives zeros; a NaN or +∞ in a row gives a NaN row.
 */
export function softmaxF32(k: Kernels, x: KBuf, y: KBuf, o: SoftmaxOptions): void {
  const op = 'softmax_f32';
  const { ldx, ldy } = rowsLayout(op, x, y, o);
  k.fn(k.pick(op, o.isa))(x.ptr, y.ptr, o.rows, o.cols, ldx, ldy);
}

/**
 * Row-wise log-softmax, (x − max) − log Σ e^(x − max), same layout as softmaxF32. A row of −∞ only
 * gives −∞s; a NaN or +∞ in a row gives a NaN row.
 */
export function logSoftmaxF32(k: Kernels, x: KBuf, y: KBuf, o: SoftmaxOptions): void {
  const op = 'log_softmax_f32';
  const { ldx, ldy } = rowsLayout(op, x, y, o);
  k.fn(k.pick(op, o.isa))(x.ptr, y.ptr, o.rows, o.cols, ldx, ldy);
}

/**
 * y[i] = e^(x[i] − max) over the first n elements, and returns Σ y[i] (f32). `y` null = sum only.
 * `max` must be ≥ every x[i] (arguments ≤ 0); results below e^−87.33 are flushed to 0.
 */
export function expMinusMaxF32(
  k: Kernels,
  x: KBuf,
  y: KBuf | null,
  max: number,
  o: { n?: number; isa?: Isa } = {},
): number {
  const op = 'exp_minus_max_f32';
  const n = o.n ?? x.length;
  expectInt(op, 'n', n, 0);
  expectBuf(op, 'x', x, 'f32', n, 'n');
  if (y) expectBuf(op, 'y', y, 'f32', n, 'n');
  if (Number.isNaN(max)) throw new Error(`${op}: max is NaN. Expected a number ≥ every x[i], got NaN.`);
  return k.fn(k.pick(op, o.isa))(x.ptr, y ? y.ptr : 0, n, max) as number;
}
