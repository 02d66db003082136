// families/reduceF32.ts — manifest entries and typed wrappers for assembly/reduce_f32/: sum and max of
// x [outer, mid, inner] over mid into out [outer, inner] (ArrayBackend.reduce). outer = 1 gives the
// column sums of a [rows, cols] matrix (bias gradients), inner = 1 the last-axis sums.
import { expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';
import { disjoint, sameMemory, span } from './span.js';

const ops = [
  ['reduce_sum_f32', 'out[o][i] = Σ_m x[o][m][i] (blocked f32 lanes folded into f64; ≤ 18u·Σ|x| + u·|Σ|)'],
  ['reduce_max_f32', 'out[o][i] = max_m x[o][m][i] (NaN skipped, as the TS loop)'],
] as const;

export const reduceF32Kernels: KernelInfo[] = ops.flatMap(([op, summary]) =>
  (['scalar', 'simd128'] as const).map((isa) => ({
    name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
    family: 'reduce_f32',
    op,
    isa,
    summary,
  })),
);

export interface ReduceShape {
  outer: number;
  mid: number;
  inner: number;
}

export interface ReduceF32Options {
  xOffset?: number;
  outOffset?: number;
  isa?: Isa;
}

/**
 * out[o][i] = Σ_m (or max_m) x[o][m][i]: x viewed as [outer, mid, inner], out as [outer, inner].
 * mid = 0 gives 0 (sum) or −∞ (max). out must not overlap x.
 */
export function reduceF32(
  k: Kernels,
  op: 'sum' | 'max',
  x: KBuf,
  out: KBuf,
  shape: ReduceShape,
  o: ReduceF32Options = {},
): void {
  if (op !== 'sum' && op !== 'max') {
    throw new Error(`reduce_f32: unknown op "${String(op)}". Expected "sum" or "max".`);
  }
  const name = `reduce_${op}_f32`;
  const { outer, mid, inner } = shape;
  expectInt(name, 'outer', outer, 0);
  expectInt(name, 'mid', mid, 0);
  expectInt(name, 'inner', inner, 0);
  const nx = outer * mid * inner;
  const no = outer * inner;
  if (nx > 2 ** 31 - 1) {
    throw new Error(`${name}: outer·mid·inner = ${nx} elements. Expected at most 2^31 − 1.`);
  }
  const sx = span(name, 'x', x, o.xOffset ?? 0, nx, 'outer·mid·inner');
  const so = span(name, 'out', out, o.outOffset ?? 0, no, 'outer·inner');
  sameMemory(name, [sx, so]);
  disjoint(name, sx, so, 'a reduction cannot run in place');
  k.fn(k.pick(name, o.isa))(sx.ptr, so.ptr, outer, mid, inner);
}
