// families/gemmF32.ts — manifest entries and typed wrappers for assembly/gemm_f32/.
//
// One call computes C = op(A)·op(B) (+ bias), or adds it to C, for the three layouts training needs:
// NN (A·B), TN (Aᵀ·B: weight gradients dW = dYᵀ·X) and NT (A·Bᵀ: Linear with [out,in] weights,
// attention Q·Kᵀ). B goes to the kernel either row-major as it is or packed into 8-column panels;
// a transposed B is always packed (the transpose happens in the packer, never in the inner loop).
// Inference weights can be packed once with packGemmF32B and reused by every call and ISA variant.
// Every operand takes an element offset and a row stride, so a call can work on a sub-matrix (one
// attention head's columns of a [N, d] matrix) or on a subset of rows / columns (one thread's share).
import { DTYPE_BYTES } from '../arena.js';
import { expectBuf, expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const SUMMARY = {
  gemm_f32: 'C (+)= op(A)·B (+ bias) in f32; A row-major or transposed, B row-major or packed panels',
  gemm_f32_pack_b: 'pack B [K×N] or [N×K] into zero-padded 8-column panels [⌈N/8⌉][K][8]',
};

export const gemmF32Kernels: KernelInfo[] = [
  {
    name: 'gemm_f32_pack_b_8__scalar',
    family: 'gemm_f32',
    op: 'gemm_f32_pack_b',
    isa: 'scalar',
    tile: { mr: 1, nr: 8, kr: 1 },
    summary: SUMMARY.gemm_f32_pack_b,
  },
  {
    name: 'gemm_f32_pack_b_8__simd',
    family: 'gemm_f32',
    op: 'gemm_f32_pack_b',
    isa: 'simd128',
    tile: { mr: 1, nr: 8, kr: 1 },
    summary: SUMMARY.gemm_f32_pack_b,
  },
  {
    name: 'gemm_f32_4x8__scalar',
    family: 'gemm_f32',
    op: 'gemm_f32',
    isa: 'scalar',
    tile: { mr: 4, nr: 8, kr: 1 },
    summary: SUMMARY.gemm_f32,
  },
  {
    name: 'gemm_f32_5x8__simd',
    family: 'gemm_f32',
    op: 'gemm_f32',
    isa: 'simd128',
    tile: { mr: 5, nr: 8, kr: 1 },
    summary: SUMMARY.gemm_f32,
  },
  {
    name: 'gemm_f32_6x8__relaxed',
    family: 'gemm_f32',
    op: 'gemm_f32',
    isa: 'relaxed',
    tile: { mr: 6, nr: 8, kr: 1 },
    summary: `${SUMMARY.gemm_f32} (FMA: differs from the others by rounding)`,
  },
];

/** Bytes of caller scratch one gemm_f32 call needs (per concurrent call), whatever the shape. */
export const GEMM_F32_SCRATCH_BYTES = 647168; // (60·512 + 512·256)·4: the A block, then the B block

/** f32 elements of B packed for gemm_f32: ⌈n/8⌉ panels of k×8. */
export function gemmF32PackedLength(k: number, n: number): number {
  return Math.ceil(n / 8) * 8 * k;
}

/** B packed into 8-column panels: reusable by every gemm_f32 call and ISA variant. */
export interface PackedGemmF32B {
  readonly packed: KBuf<'f32'>;
  /** Rows of op(B) (the reduction length). */
  readonly k: number;
  /** Columns of op(B) (columns of C). */
  readonly n: number;
  release(): void;
}

export interface PackGemmF32BOptions {
  k: number;
  n: number;
  /** B is stored [N][K] (PyTorch Linear weight, attention K) instead of [K][N]. */
  transB?: boolean;
  /** Row stride of the stored B in elements (default: its row length, n or k). */
  ldb?: number;
  /** Element offset of B(0, 0) in `b` (default 0). */
  bOffset?: number;
  /** Pack into this buffer (≥ gemmF32PackedLength(k, n) f32) instead of a fresh one. */
  into?: KBuf<'f32'>;
  isa?: Isa;
}

function expectOffset(op: string, name: string, v: number | undefined): number {
  const off = v ?? 0;
  expectInt(op, name, off, 0);
  return off;
}

/** Elements a strided matrix view of rows×cols spans (0 for an empty one). */
function span(rows: number, cols: number, ld: number): number {
  return rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
}

interface View {
  name: string;
  buf: KBuf;
  offset: number;
  rows: number;
  cols: number;
  ld: number;
}

function checkView(op: string, v: View): void {
  expectInt(op, `ld${v.name}`, v.ld, Math.max(1, v.cols));
  const need = span(v.rows, v.cols, v.ld);
  if (need === 0) return;
  const what =
    v.offset > 0
      ? `${v.name}Offset + (rows−1)·ld${v.name} + cols for a ${v.rows}×${v.cols} view`
      : `(rows−1)·ld${v.name} + cols for a ${v.rows}×${v.cols} view`;
  expectBuf(op, v.name, v.buf, 'f32', v.offset + need, what);
}

function byteRange(v: View): [number, number] {
  const start = v.buf.ptr + v.offset * DTYPE_BYTES.f32;
  return [start, start + span(v.rows, v.cols, v.ld) * DTYPE_BYTES.f32];
}

function expectDisjoint(op: string, out: View, inp: View): void {
  const [o0, o1] = byteRange(out);
  const [i0, i1] = byteRange(inp);
  if (o0 < o1 && i0 < i1 && o0 < i1 && i0 < o1) {
    throw new Error(
      `${op}: ${out.name} overlaps ${inp.name}. Expected separate memory, got ${inp.name} at bytes [${i0}, ${i1}) ` +
        `and ${out.name} at [${o0}, ${o1}).`,
    );
  }
}

/** Pack B for gemmF32 (once for inference weights); release the result when done. */
export function packGemmF32B(k: Kernels, b: KBuf<'f32'>, o: PackGemmF32BOptions): PackedGemmF32B {
  const op = 'gemm_f32_pack_b';
  expectInt(op, 'k', o.k, 0);
  expectInt(op, 'n', o.n, 0);
  const rows = o.transB ? o.n : o.k;
  const cols = o.transB ? o.k : o.n;
  const view: View = {
    name: 'b',
    buf: b,
    offset: expectOffset(op, 'bOffset', o.bOffset),
    rows,
    cols,
    ld: o.ldb ?? Math.max(1, cols),
  };
  checkView(op, view);
  const len = gemmF32PackedLength(o.k, o.n);
  if (o.into) {
    expectBuf(op, 'into', o.into, 'f32', len, 'gemmF32PackedLength(k, n) = ⌈n/8⌉·8·k');
    expectDisjoint(
      op,
      { name: 'into', buf: o.into, offset: 0, rows: 1, cols: len, ld: Math.max(1, len) },
      view,
    );
  }
  const packed = o.into ?? k.alloc('f32', len);
  if (len > 0) {
    k.fn(k.pick(op, o.isa))(o.k, o.n, byteRange(view)[0], view.ld, o.transB ? 1 : 0, packed.ptr);
  }
  const owned = !o.into;
  return {
    packed,
    k: o.k,
    n: o.n,
    release() {
      // a caller's `into` buffer stays the caller's to release
      if (owned) packed.release();
    },
  };
}

export interface GemmF32Options {
  /** Rows of C and of op(A). */
  m: number;
  /** Columns of C and of op(B). */
  n: number;
  /** Reduction length: columns of op(A), rows of op(B). */
  k: number;
  /** A: [m][k] row-major, or [k][m] when transA (op(A) = Aᵀ). */
  a: KBuf<'f32'>;
  transA?: boolean;
  /** Row stride of the stored A in elements (default: its row length). */
  lda?: number;
  /** Element offset of the stored A's first element in `a` (default 0). */
  aOffset?: number;
  /** B: [k][n] row-major, or [n][k] when transB. Give `b` or `packed`, not both. */
  b?: KBuf<'f32'>;
  transB?: boolean;
  ldb?: number;
  bOffset?: number;
  /** B already packed by packGemmF32B (its k must equal this call's k). */
  packed?: PackedGemmF32B;
  /** First column of `packed` this call uses: a multiple of 8 (threads splitting N; default 0). */
  packedColumn?: number;
  /** C: [m][n] row-major; must not overlap A or B. */
  c: KBuf<'f32'>;
  ldc?: number;
  cOffset?: number;
  /** C += op(A)·op(B) (+ bias) instead of C = … (default false). */
  accumulate?: boolean;
  /** f32 per output column, added to every row (null = none). */
  bias?: KBuf<'f32'> | null;
  biasOffset?: number;
  /** Caller-owned scratch (≥ GEMM_F32_SCRATCH_BYTES bytes, any dtype); default: borrowed from the arena. */
  scratch?: KBuf;
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
}

/**
 * C = op(A)·op(B) (+ bias), or C += … with `accumulate`, in f32. Within gemmF32Tolerance of `gemmF32`
 * in `@edgeseg/kernels/ref` (f64); the scalar and simd128 variants agree bit for bit.
 */
export function gemmF32(k: Kernels, o: GemmF32Options): void {
  const op = 'gemm_f32';
  const { m, n } = o;
  const kk = o.k;
  expectInt(op, 'm', m, 0);
  expectInt(op, 'n', n, 0);
  expectInt(op, 'k', kk, 0);
  const aView: View = {
    name: 'a',
    buf: o.a,
    offset: expectOffset(op, 'aOffset', o.aOffset),
    rows: o.transA ? kk : m,
    cols: o.transA ? m : kk,
    ld: o.lda ?? Math.max(1, o.transA ? m : kk),
  };
  checkView(op, aView);
  const cView: View = {
    name: 'c',
    buf: o.c,
    offset: expectOffset(op, 'cOffset', o.cOffset),
    rows: m,
    cols: n,
    ld: o.ldc ?? Math.max(1, n),
  };
  checkView(op, cView);
  expectDisjoint(op, cView, aView);

  let bPtr: number;
  let ldb: number;
  let bPacked: 0 | 1;
  let temp: KBuf<'f32'> | null = null;
  if (o.packed) {
    if (o.b) throw new Error(`${op}: both b and packed were given. Expected one of them.`);
    const p = o.packed;
    if (p.packed.isReleased) throw new Error(`${op}: the packed B was already released.`);
    if (p.k !== kk) {
      throw new Error(`${op}: packed B has the wrong k. Expected ${kk} (this call's k), got ${p.k}.`);
    }
    const col = o.packedColumn ?? 0;
    expectInt(op, 'packedColumn', col, 0);
    if (col % 8 !== 0) {
      throw new Error(`${op}: packedColumn must start a panel. Expected a multiple of 8, got ${col}.`);
    }
    if (col + n > p.n) {
      throw new Error(
        `${op}: the call reaches past the packed B's columns. Expected packedColumn + n ≤ ${p.n}, got ${col + n}.`,
      );
    }
    const len = gemmF32PackedLength(kk, n);
    const pv: View = {
      name: 'packed',
      buf: p.packed,
      offset: col * kk,
      rows: 1,
      cols: len,
      ld: Math.max(1, len),
    };
    expectDisjoint(op, cView, pv);
    bPtr = byteRange(pv)[0];
    ldb = kk;
    bPacked = 1;
  } else {
    if (!o.b) throw new Error(`${op}: no B operand. Expected b (with transB, ldb) or packed.`);
    const bView: View = {
      name: 'b',
      buf: o.b,
      offset: expectOffset(op, 'bOffset', o.bOffset),
      rows: o.transB ? n : kk,
      cols: o.transB ? kk : n,
      ld: o.ldb ?? Math.max(1, o.transB ? kk : n),
    };
    checkView(op, bView);
    expectDisjoint(op, cView, bView);
    if (o.transB) {
      // Aᵀ-free inner loop: transposed B goes through the packer into a temporary.
      temp = packGemmF32B(k, o.b, { k: kk, n, transB: true, ldb: bView.ld, bOffset: bView.offset }).packed;
      bPtr = temp.ptr;
      ldb = kk;
      bPacked = 1;
    } else {
      bPtr = byteRange(bView)[0];
      ldb = bView.ld;
      bPacked = 0;
    }
  }
  let bias = 0;
  if (o.bias) {
    const off = expectOffset(op, 'biasOffset', o.biasOffset);
    expectBuf(op, 'bias', o.bias, 'f32', off + n, off > 0 ? 'biasOffset + n' : 'n');
    bias = o.bias.ptr + off * DTYPE_BYTES.f32;
  }
  if (o.scratch) {
    if (o.scratch.isReleased) throw new Error(`${op}: scratch was already released.`);
    if (o.scratch.byteLength < GEMM_F32_SCRATCH_BYTES) {
      throw new Error(
        `${op}: scratch is too small. Expected ≥ ${GEMM_F32_SCRATCH_BYTES} bytes, got ${o.scratch.byteLength}.`,
      );
    }
    if (o.scratch.ptr % 16 !== 0) {
      throw new Error(
        `${op}: scratch is misaligned. Expected a 16-byte aligned offset, got ${o.scratch.ptr}.`,
      );
    }
  }
  try {
    if (m === 0 || n === 0) return;
    const fn = k.fn(k.pick(op, o.isa));
    const scratch = o.scratch ?? k.alloc('u8', GEMM_F32_SCRATCH_BYTES);
    try {
      fn(
        m,
        n,
        kk,
        byteRange(aView)[0],
        aView.ld,
        o.transA ? 1 : 0,
        bPtr,
        ldb,
        bPacked,
        byteRange(cView)[0],
        cView.ld,
        bias,
        o.accumulate ? 1 : 0,
        scratch.ptr,
      );
    } finally {
      if (!o.scratch) scratch.release();
    }
  } finally {
    temp?.release();
  }
}
