// families/gemmI8.ts — manifest entries and typed wrappers for assembly/gemm_i8/.
//
// Weights are packed once (packGemmI8Weights) into the layout every gemm_i8 variant reads; each
// call then multiplies activations already in kernel memory. The wrappers check every size,
// stride and range before calling, so the kernels (whose asserts vanish in release) never see a
// bad argument.
import type { DType } from '../arena.js';
import { expectBuf, expectInt, KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const SUMMARY = {
  gemm_i8_pack: 'pack int8 weights [K×N] or [N×K] into 8-column blocks of i16 pairs + bias + column sums',
  gemm_i8: 'C(i8) = requant(A(i8)·B(i8) + bias − za·colsum), per-channel mults, shared shift',
  gemm_i8_i32: 'C(i32) = A(i8)·B(i8) + bias − za·colsum',
  gemm_i8_f32: 'C(f32) = f32(A(i8)·B(i8) + bias − za·colsum)·scales, per-channel dequantization',
};

export const gemmI8Kernels: KernelInfo[] = [
  {
    name: 'gemm_i8_pack_8c2__scalar',
    family: 'gemm_i8',
    op: 'gemm_i8_pack',
    isa: 'scalar',
    tile: { mr: 1, nr: 8, kr: 2 },
    summary: SUMMARY.gemm_i8_pack,
  },
  ...(['gemm_i8', 'gemm_i8_i32', 'gemm_i8_f32'] as const).flatMap((op) => [
    {
      name: `${op}_2x4c2__scalar`,
      family: 'gemm_i8',
      op,
      isa: 'scalar' as const,
      tile: { mr: 2, nr: 4, kr: 2 },
      summary: SUMMARY[op],
    },
    {
      name: `${op}_4x8c2__simd`,
      family: 'gemm_i8',
      op,
      isa: 'simd128' as const,
      tile: { mr: 4, nr: 8, kr: 2 },
      summary: SUMMARY[op],
    },
  ]),
];

/** K must stay below 2^17 so that Σ a·b (|a·b| ≤ 2^14) cannot wrap in i32. */
export const GEMM_I8_MAX_K = 2 ** 17 - 1;

/** Bytes of packed weights for n output channels and reduction length k. */
export function gemmI8PackedBytes(n: number, k: number): number {
  return Math.ceil(n / 8) * (64 + 16 * (k + (k & 1)));
}

/** Bytes of caller scratch one gemm_i8 / gemm_i8_i32 call needs (per thread). */
export function gemmI8ScratchBytes(n: number, k: number): number {
  return 128 * (Math.ceil(n / 8) + Math.ceil(k / 16));
}

/** Weights packed for gemm_i8: one buffer, reusable by every call and every ISA variant. */
export interface PackedGemmI8Weights {
  readonly packed: KBuf<'u8'>;
  /** Output channels (columns of C). */
  readonly n: number;
  /** Reduction length (columns of A). */
  readonly k: number;
  /** Layout B was given in: 'kn' = [K][N] row-major, 'nk' = [N][K] (PyTorch Linear weight). */
  readonly layout: 'kn' | 'nk';
  readonly hasBias: boolean;
  release(): void;
}

export interface PackGemmI8Options {
  n: number;
  k: number;
  layout: 'kn' | 'nk';
  /** Row stride of B in elements (default n for 'kn', k for 'nk'). */
  ldb?: number;
  /** int32 bias per output channel, at scale s_a·s_w (null = none). */
  bias?: KBuf<'i32'> | Int32Array | null;
}

/** Copy an array into kernel memory unless it already lives there; `done` frees the copy. */
function inKernel<D extends DType>(
  k: Kernels,
  dtype: D,
  x: KBuf<D> | ArrayLike<number>,
): { buf: KBuf<D>; done(): void } {
  if (x instanceof KBuf) return { buf: x, done() {} };
  const buf = k.from(dtype, x);
  return { buf, done: () => buf.release() };
}

/** Pack int8 weights B (values in [−127, 127], zero point 0) once; release the result when done. */
export function packGemmI8Weights(
  k: Kernels,
  b: KBuf<'i8'> | Int8Array,
  o: PackGemmI8Options,
): PackedGemmI8Weights {
  const op = 'gemm_i8_pack';
  expectInt(op, 'n', o.n, 1);
  expectInt(op, 'k', o.k, 1, GEMM_I8_MAX_K);
  if (o.layout !== 'kn' && o.layout !== 'nk') {
    throw new Error(`${op}: unknown layout "${o.layout}". Expected "kn" ([K][N]) or "nk" ([N][K]).`);
  }
  const rows = o.layout === 'kn' ? o.k : o.n;
  const cols = o.layout === 'kn' ? o.n : o.k;
  const ldb = o.ldb ?? cols;
  expectInt(op, 'ldb', ldb, cols);
  const need = (rows - 1) * ldb + cols;
  if (b instanceof KBuf) expectBuf(op, 'b', b, 'i8', need, `(rows−1)·ldb + cols for layout ${o.layout}`);
  else if (b.length < need) {
    throw new Error(`${op}: b is too small. Expected ≥ ${need} elements, got ${b.length}.`);
  }
  const bv = b instanceof KBuf ? b.view() : b;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = bv[r * ldb + c];
      if (v === -128) {
        const [kk, j] = o.layout === 'kn' ? [r, c] : [c, r];
        throw new Error(
          `${op}: weight B[k=${kk}][n=${j}] is -128. Expected symmetric int8 weights in [-127, 127], got -128.`,
        );
      }
    }
  }
  if (o.bias instanceof KBuf) expectBuf(op, 'bias', o.bias, 'i32', o.n, 'n');
  else if (o.bias && o.bias.length < o.n) {
    throw new Error(`${op}: bias is too small. Expected ≥ ${o.n} elements (n), got ${o.bias.length}.`);
  }
  const bias = o.bias ? inKernel(k, 'i32', o.bias) : null;
  const bin = inKernel(k, 'i8', b);
  const packed = k.alloc('u8', gemmI8PackedBytes(o.n, o.k));
  try {
    k.fn(k.pick(op))(
      o.n,
      o.k,
      bin.buf.ptr,
      ldb,
      o.layout === 'kn' ? 0 : 1,
      bias ? bias.buf.ptr : 0,
      packed.ptr,
    );
  } finally {
    bin.done();
    bias?.done();
  }
  return {
    packed,
    n: o.n,
    k: o.k,
    layout: o.layout,
    hasBias: bias !== null,
    release: () => packed.release(),
  };
}

export interface GemmI8CallOptions {
  /** Rows of A and C (a call may cover a subset of rows: offset A and C, pass a smaller m). */
  m: number;
  /** Zero point of A, in [−128, 127]. */
  za: number;
  /** Row stride of A in elements (default k). */
  lda?: number;
  /** Row stride of C in elements (default n). */
  ldc?: number;
  /** Caller-owned scratch (u8, ≥ gemmI8ScratchBytes(n, k)); default: borrowed from the arena. */
  scratch?: KBuf<'u8'>;
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
}

export interface GemmI8Options extends GemmI8CallOptions {
  /** Zero point of C, in [qmin, qmax]. */
  zo: number;
  qmin?: number;
  qmax?: number;
  /** Per output channel multipliers, i32 in [0, 2^31): C = round(acc·mults[j] / 2^shift). */
  mults: KBuf<'i32'>;
  /** Right shift shared by all channels, in [1, 62]. */
  shift: number;
}

interface Checked {
  lda: number;
  ldc: number;
}

function checkCall(
  op: string,
  a: KBuf,
  w: PackedGemmI8Weights,
  c: KBuf,
  cType: 'i8' | 'i32' | 'f32',
  o: GemmI8CallOptions,
  mults: KBuf | null,
): Checked {
  const { n, k } = w;
  expectInt(op, 'm', o.m, 0);
  expectInt(op, 'za', o.za, -128, 127);
  const lda = o.lda ?? k;
  const ldc = o.ldc ?? n;
  expectInt(op, 'lda', lda, k);
  expectInt(op, 'ldc', ldc, n);
  if (w.packed.isReleased) throw new Error(`${op}: the packed weights were already released.`);
  if (o.scratch)
    expectBuf(op, 'scratch', o.scratch, 'u8', gemmI8ScratchBytes(n, k), 'gemmI8ScratchBytes(n, k)');
  if (o.m > 0) {
    expectBuf(op, 'a', a, 'i8', (o.m - 1) * lda + k, '(m−1)·lda + k');
    expectBuf(op, 'c', c, cType, (o.m - 1) * ldc + n, '(m−1)·ldc + n');
    // The kernel reads its inputs while it writes C: C must not share a byte with any of them.
    const c0 = c.ptr;
    const c1 = c.ptr + ((o.m - 1) * ldc + n) * (cType === 'i8' ? 1 : 4);
    const inputs: [string, number, number][] = [
      ['a', a.ptr, a.ptr + (o.m - 1) * lda + k],
      ['the packed weights', w.packed.ptr, w.packed.ptr + w.packed.byteLength],
    ];
    if (o.scratch) inputs.push(['scratch', o.scratch.ptr, o.scratch.ptr + o.scratch.byteLength]);
    if (mults) inputs.push(['mults', mults.ptr, mults.ptr + 4 * n]);
    for (const [name, lo, hi] of inputs) {
      if (c0 < hi && lo < c1) {
        throw new Error(
          `${op}: c overlaps ${name}. Expected separate buffers, got ${name} at [${lo}, ${hi}) and c at [${c0}, ${c1}).`,
        );
      }
    }
  }
  return { lda, ldc };
}

function withScratch(
  k: Kernels,
  w: PackedGemmI8Weights,
  given: KBuf<'u8'> | undefined,
  run: (ptr: number) => void,
) {
  if (given) return run(given.ptr);
  const s = k.alloc('u8', gemmI8ScratchBytes(w.n, w.k));
  try {
    run(s.ptr);
  } finally {
    s.release();
  }
}

/**
 * C[m×n] (i8) = clamp(round_half_even((Σ_k (A−za)·B + bias) · mults[j] / 2^shift) + zo, qmin, qmax).
 * Bit-exact with `gemmI8` in `@edgeseg/kernels/ref`.
 */
export function gemmI8(
  k: Kernels,
  a: KBuf<'i8'>,
  w: PackedGemmI8Weights,
  c: KBuf<'i8'>,
  o: GemmI8Options,
): void {
  const op = 'gemm_i8';
  const { lda, ldc } = checkCall(op, a, w, c, 'i8', o, o.mults);
  const qmin = o.qmin ?? -128;
  const qmax = o.qmax ?? 127;
  expectInt(op, 'qmin', qmin, -128, 127);
  expectInt(op, 'qmax', qmax, qmin, 127);
  expectInt(op, 'zo', o.zo, qmin, qmax);
  expectInt(op, 'shift', o.shift, 1, 62);
  expectBuf(op, 'mults', o.mults, 'i32', w.n, 'n');
  const mv = o.mults.view();
  for (let j = 0; j < w.n; j++) expectInt(op, `mults[${j}]`, mv[j], 0);
  if (o.m === 0) return;
  const fn = k.fn(k.pick(op, o.isa));
  withScratch(k, w, o.scratch, (s) =>
    fn(o.m, w.n, w.k, a.ptr, lda, w.packed.ptr, c.ptr, ldc, o.za, o.mults.ptr, o.shift, o.zo, qmin, qmax, s),
  );
}

/** C[m×n] (i32) = Σ_k (A−za)·B + bias, wrapping modulo 2^32. Bit-exact with `gemmI8I32` in the ref twins. */
export function gemmI8I32(
  k: Kernels,
  a: KBuf<'i8'>,
  w: PackedGemmI8Weights,
  c: KBuf<'i32'>,
  o: GemmI8CallOptions,
): void {
  const op = 'gemm_i8_i32';
  const { lda, ldc } = checkCall(op, a, w, c, 'i32', o, null);
  if (o.m === 0) return;
  const fn = k.fn(k.pick(op, o.isa));
  withScratch(k, w, o.scratch, (s) => fn(o.m, w.n, w.k, a.ptr, lda, w.packed.ptr, c.ptr, ldc, o.za, s));
}

/**
 * C[m×n] (f32) = f32(Σ_k (A−za)·B + bias)·scales[j]: a quantized layer's output dequantized in the
 * epilogue (scales = s_a·s_w[j]). Bit-exact with `gemmI8F32` in the ref twins.
 */
export function gemmI8F32(
  k: Kernels,
  a: KBuf<'i8'>,
  w: PackedGemmI8Weights,
  c: KBuf<'f32'>,
  scales: KBuf<'f32'>,
  o: GemmI8CallOptions,
): void {
  const op = 'gemm_i8_f32';
  expectBuf(op, 'scales', scales, 'f32', w.n, 'n (one per output column)');
  const { lda, ldc } = checkCall(op, a, w, c, 'f32', o, scales);
  if (o.m === 0) return;
  const fn = k.fn(k.pick(op, o.isa));
  withScratch(k, w, o.scratch, (s) =>
    fn(o.m, w.n, w.k, a.ptr, lda, w.packed.ptr, c.ptr, ldc, o.za, scales.ptr, s),
  );
}
