// ref/gemm_i8.ts — plain-TS twins of assembly/gemm_i8/*: the INT8 GEMM from unpacked weights, and
// the packing the kernels consume, written out byte by byte. All integer, so the kernels must match
// bit for bit. i32 arithmetic wraps exactly where the kernels' does (`| 0`, Math.imul).
import { clampInt, rescaleHalfEven } from './round.js';

/** B[kk][j] is at b[kk·ldb + j] for layout 'kn' ([K][N]) and b[j·ldb + kk] for 'nk' ([N][K]). */
export type GemmI8Layout = 'kn' | 'nk';

export interface GemmI8Problem {
  m: number;
  n: number;
  k: number;
  /** A [m×k] int8, row stride lda. */
  a: ArrayLike<number>;
  lda?: number;
  /** B as given to the pack, with its layout and row stride. */
  b: ArrayLike<number>;
  layout: GemmI8Layout;
  ldb?: number;
  bias?: ArrayLike<number> | null;
  /** Zero point of A, in [−128, 127]. */
  za: number;
}

const bAt = (p: GemmI8Problem, kk: number, j: number) =>
  p.layout === 'kn' ? p.b[kk * (p.ldb ?? p.n) + j] : p.b[j * (p.ldb ?? p.k) + kk];

/** acc[i][j] = Σ_k (A[i][k] − za)·B[k][j] + bias[j], wrapped to i32, as [m×n]. */
export function gemmI8I32(p: GemmI8Problem): Int32Array {
  const { m, n, k } = p;
  const lda = p.lda ?? k;
  const c = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = p.bias ? p.bias[j] | 0 : 0;
      for (let kk = 0; kk < k; kk++) acc = (acc + (p.a[i * lda + kk] - p.za) * bAt(p, kk, j)) | 0;
      c[i * n + j] = acc;
    }
  }
  return c;
}

/** y[i][j] = f32(acc[i][j])·scales[j] in f32 (the dequantizing variant), as [m×n]. */
export function gemmI8F32(p: GemmI8Problem, scales: ArrayLike<number>): Float32Array {
  const acc = gemmI8I32(p);
  const y = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) y[i] = Math.fround(Math.fround(acc[i]) * Math.fround(scales[i % p.n]));
  return y;
}

export interface GemmI8Requant {
  /** Per output channel, in [0, 2^31). */
  mults: ArrayLike<number>;
  /** Shared right shift, in [1, 62]. */
  shift: number;
  zo: number;
  qmin: number;
  qmax: number;
}

/** y[i][j] = clamp(round_half_even(acc[i][j]·mults[j] / 2^shift) + zo, qmin, qmax), as [m×n]. */
export function gemmI8(p: GemmI8Problem, q: GemmI8Requant): Int8Array {
  const acc = gemmI8I32(p);
  const y = new Int8Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const r = rescaleHalfEven(acc[i], q.mults[i % p.n], q.shift);
    y[i] = clampInt(r, q.qmin - q.zo, q.qmax - q.zo) + q.zo;
  }
  return y;
}

/** Bytes of packed weights: ceil(n/8) blocks of 64 + 16·kp bytes, kp = k rounded up to even. */
export function gemmI8PackedBytes(n: number, k: number): number {
  return Math.ceil(n / 8) * (64 + 16 * (k + (k & 1)));
}

/**
 * The packed layout, per block of 8 columns: i32 bias[8], i32 colsum[8] (Σ_k B[k][j]), then for
 * each pair of k (zero padded to even k) 8 columns × (B[2p][j], B[2p+1][j]) as i16. Columns past n
 * are all zero.
 */
export function gemmI8Pack(p: Pick<GemmI8Problem, 'n' | 'k' | 'b' | 'layout' | 'ldb' | 'bias'>): Uint8Array {
  const { n, k } = p;
  const kp = k + (k & 1);
  const out = new Uint8Array(gemmI8PackedBytes(n, k));
  const dv = new DataView(out.buffer);
  const block = 64 + 16 * kp;
  const full = { ...p, m: 0, a: [], za: 0 } as GemmI8Problem;
  for (let j = 0; j < n; j++) {
    const base = (j >> 3) * block;
    const c = j & 7;
    let sum = 0;
    for (let kk = 0; kk < k; kk++) {
      const v = bAt(full, kk, j);
      sum += v;
      dv.setInt16(base + 64 + (kk >> 1) * 32 + c * 4 + (kk & 1) * 2, v, true);
    }
    dv.setInt32(base + c * 4, p.bias ? p.bias[j] : 0, true);
    dv.setInt32(base + 32 + c * 4, sum, true);
  }
  return out;
}
