// families/transposeF32.ts — manifest entries and typed wrapper for assembly/transpose_f32/: the
// batched 2-D transpose [batch, rows, cols] → [batch, cols, rows], i.e. autograd's permute of a
// [B, N, C] tensor by [0, 2, 1] (and back), which the distillation losses and the NHWC ↔ NCHW
// boundaries use. permute3AsTranspose tells whether a permute is one.
import { checkBufs } from '../checks.js';
import { expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

export const transposeF32Kernels: KernelInfo[] = (['scalar', 'simd128'] as const).map((isa) => ({
  name: `transpose_f32__${isa === 'simd128' ? 'simd' : 'scalar'}`,
  family: 'transpose_f32',
  op: 'transpose_f32',
  isa,
  summary: 'y [batch, cols, rows] = x [batch, rows, cols] transposed; 32×32 tiles, 4×4 register blocks',
}));

export interface TransposeShape {
  batch: number;
  rows: number;
  cols: number;
}

/**
 * The batched transpose a permute is, if it is one: perm moves one contiguous group of axes past
 * another, possibly after leading axes that stay put (e.g. [B, N, C] by [0, 2, 1] → batch B, rows N,
 * cols C; [N, C] by [1, 0]). Null otherwise.
 */
export function permuteAsTranspose(shape: readonly number[], perm: readonly number[]): TransposeShape | null {
  const n = shape.length;
  if (perm.length !== n) return null;
  let lead = 0;
  while (lead < n && perm[lead] === lead) lead++;
  if (lead === n) return null; // identity
  // The rest must be [s, s+1, …, n−1, lead, lead+1, …, s−1] for some split s.
  const s = perm[lead];
  for (let i = lead; i < n; i++) {
    const want = i - lead < n - s ? s + (i - lead) : lead + (i - lead - (n - s));
    if (perm[i] !== want) return null;
  }
  const prod = (a: number, b: number) => shape.slice(a, b).reduce((p, v) => p * v, 1);
  return { batch: prod(0, lead), rows: prod(lead, s), cols: prod(s, n) };
}

/** y [batch, cols, rows] = x [batch, rows, cols] with every 2-D slice transposed. */
export function transposeF32(k: Kernels, x: KBuf, y: KBuf, s: TransposeShape, o: { isa?: Isa } = {}): void {
  const op = 'transpose_f32';
  for (const f of ['batch', 'rows', 'cols'] as const) expectInt(op, f, s[f], 0);
  const n = s.batch * s.rows * s.cols;
  const why = `batch·rows·cols = ${s.batch}·${s.rows}·${s.cols}`;
  checkBufs(op, [{ name: 'x', buf: x, length: n, why }], [{ name: 'y', buf: y, length: n, why }]);
  k.fn(k.pick(op, o.isa))(x.ptr, y.ptr, s.batch, s.rows, s.cols);
}
