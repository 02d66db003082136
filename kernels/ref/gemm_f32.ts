// ref/gemm_f32.ts — plain-TS twin of assembly/gemm_f32/*: the oracle of the gemm_f32 tests.
// Sums in f64 (exact for the products of two f32, nearly so for their sum), so the kernels' f32
// results are compared against something more accurate than themselves, with gemmF32Tolerance.

export interface GemmF32Ref {
  m: number;
  n: number;
  k: number;
  /** A(i, kk) = a[aOffset + i·lda + kk], or a[aOffset + kk·lda + i] when transA. */
  a: ArrayLike<number>;
  lda: number;
  transA?: boolean;
  aOffset?: number;
  /** B(kk, j) = b[bOffset + kk·ldb + j], or b[bOffset + j·ldb + kk] when transB. */
  b: ArrayLike<number>;
  ldb: number;
  transB?: boolean;
  bOffset?: number;
  /** Added per output column when given. */
  bias?: ArrayLike<number> | null;
  biasOffset?: number;
  /** C before the call (row stride ldc, from cOffset), added when accumulating. */
  c?: ArrayLike<number> | null;
  ldc?: number;
  cOffset?: number;
  accumulate?: boolean;
}

/** C = (accumulate ? C : 0) + bias + op(A)·op(B), returned dense [m][n] in f64. */
export function gemmF32(p: GemmF32Ref): Float64Array {
  const { m, n, k, a, lda, b, ldb } = p;
  const ao = p.aOffset ?? 0;
  const bo = p.bOffset ?? 0;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (p.accumulate && p.c) s += p.c[(p.cOffset ?? 0) + i * (p.ldc ?? n) + j];
      if (p.bias) s += p.bias[(p.biasOffset ?? 0) + j];
      for (let kk = 0; kk < k; kk++) {
        const av = p.transA ? a[ao + kk * lda + i] : a[ao + i * lda + kk];
        const bv = p.transB ? b[bo + j * ldb + kk] : b[bo + kk * ldb + j];
        s += av * bv;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

/**
 * The layout gemm_f32_pack_b_8 writes: ⌈n/8⌉ panels of [k][8], B(kk, j) at
 * (⌊j/8⌋·k + kk)·8 + j mod 8, columns ≥ n zero.
 */
export function packGemmF32B(
  k: number,
  n: number,
  b: ArrayLike<number>,
  ldb: number,
  transB: boolean,
  bOffset = 0,
): Float32Array {
  const panels = Math.ceil(n / 8);
  const out = new Float32Array(panels * k * 8);
  for (let j = 0; j < n; j++) {
    for (let kk = 0; kk < k; kk++) {
      out[(Math.floor(j / 8) * k + kk) * 8 + (j % 8)] = transB
        ? b[bOffset + j * ldb + kk]
        : b[bOffset + kk * ldb + j];
    }
  }
  return out;
}
