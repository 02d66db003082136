// gemm_f32_scalar.ts — f32 GEMM without SIMD: the scalar twin of gemm_f32_simd.ts.
//
// Same operation, arguments, B layouts (row-major or gemm_f32_pack_b_8 panels), scratch and blocking
// as gemm_f32_simd.ts (see its header). It exists for hosts without WASM SIMD and to test the
// blocking, packing and edge logic apart from the vector code.
// Micro-tile 4×8 over 4-row A panels [kc][4] and 8-column B panels, computed as four 2×4 register
//   blocks (8 accumulators; a whole 4×8 block would spill in V8's 16 registers).
// Reads past buffers: nothing. Writes only inside m×n of C.
// Accumulation: init = (accumulate ? C : 0) + (bias ? bias[j] : 0), then one f32 multiply and one
//   f32 add per kk in increasing order — bit-identical to gemm_f32_5x8__simd.
// Twin: kernels/ref/gemm_f32.ts (f64 accumulation) — within gemmF32Tolerance(max|ref|, k).
import {
  GEMM_F32_MC, GEMM_F32_NC, GEMM_F32_SCRATCH_A, kBlock, packAPanel, packBTail,
} from './gemm_f32_common';

const MR: i32 = 4;

// C[r0..r0+1][q0..q0+3] of a tile; rows < mr and columns < nr are real. A panel rows r0, r0+1 at
// a + kk·16 + 4r; B columns q0..q0+3 at b + kk·bsk + 4q.
function block2x4(
  kc: i32, a: usize, b: usize, bsk: usize, c: usize, ldc: usize, rows: i32, cols: i32,
  loadC: bool, bias: usize,
): void {
  const c1 = c + ldc;
  // init
  let x00: f32 = 0, x01: f32 = 0, x02: f32 = 0, x03: f32 = 0;
  let x10: f32 = 0, x11: f32 = 0, x12: f32 = 0, x13: f32 = 0;
  if (loadC) {
    if (cols > 0) x00 = load<f32>(c);
    if (cols > 1) x01 = load<f32>(c, 4);
    if (cols > 2) x02 = load<f32>(c, 8);
    if (cols > 3) x03 = load<f32>(c, 12);
    if (rows > 1) {
      if (cols > 0) x10 = load<f32>(c1);
      if (cols > 1) x11 = load<f32>(c1, 4);
      if (cols > 2) x12 = load<f32>(c1, 8);
      if (cols > 3) x13 = load<f32>(c1, 12);
    }
  }
  if (bias) {
    const b0: f32 = cols > 0 ? load<f32>(bias) : 0;
    const b1: f32 = cols > 1 ? load<f32>(bias, 4) : 0;
    const b2: f32 = cols > 2 ? load<f32>(bias, 8) : 0;
    const b3: f32 = cols > 3 ? load<f32>(bias, 12) : 0;
    x00 += b0; x01 += b1; x02 += b2; x03 += b3;
    x10 += b0; x11 += b1; x12 += b2; x13 += b3;
  }
  // k loop
  let pa = a;
  let pb = b;
  const aEnd = a + <usize>kc * 16;
  while (pa < aEnd) {
    const b0 = load<f32>(pb);
    const b1 = load<f32>(pb, 4);
    const b2 = load<f32>(pb, 8);
    const b3 = load<f32>(pb, 12);
    const a0 = load<f32>(pa);
    const a1 = load<f32>(pa, 4);
    x00 += a0 * b0; x01 += a0 * b1; x02 += a0 * b2; x03 += a0 * b3;
    x10 += a1 * b0; x11 += a1 * b1; x12 += a1 * b2; x13 += a1 * b3;
    pa += 16;
    pb += bsk;
  }
  // store
  if (cols > 0) store<f32>(c, x00);
  if (cols > 1) store<f32>(c, x01, 4);
  if (cols > 2) store<f32>(c, x02, 8);
  if (cols > 3) store<f32>(c, x03, 12);
  if (rows > 1) {
    if (cols > 0) store<f32>(c1, x10);
    if (cols > 1) store<f32>(c1, x11, 4);
    if (cols > 2) store<f32>(c1, x12, 8);
    if (cols > 3) store<f32>(c1, x13, 12);
  }
}

export function gemm_f32_4x8__scalar(
  m: i32, n: i32, k: i32, a: usize, lda: i32, trans_a: i32, b: usize, ldb: i32, b_packed: i32,
  c: usize, ldc: i32, bias: usize, accumulate: i32, scratch: usize,
): void {
  assert(m >= 0 && n >= 0 && k >= 0);
  assert(lda >= max(1, trans_a ? m : k) && ldc >= max(1, n));
  assert(b_packed ? ldb >= k : ldb >= max(1, n));
  assert(scratch != 0 && (scratch & 15) == 0);
  if (m == 0 || n == 0) return;
  const kcMax = kBlock(k);
  const ldaB = <usize>lda << 2;
  const ldbB = <usize>ldb << 2;
  const ldcB = <usize>ldc << 2;
  const bBlock = scratch + GEMM_F32_SCRATCH_A;
  let kb = 0;
  do {
    const kc = min(kcMax, k - kb);
    const loadC = kb > 0 || accumulate != 0;
    const kBias = kb == 0 ? bias : 0;
    for (let jc = 0; jc < n; jc += GEMM_F32_NC) {
      const je = min(jc + GEMM_F32_NC, n);
      if (!b_packed && ((je - jc) & 7) != 0) {
        // B is read in place, except a narrow last panel: copied zero-padded
        const j = je & ~7;
        packBTail(kc, b + <usize>kb * ldbB + (<usize>j << 2), ldbB, je - j, bBlock);
      }
      for (let ib = 0; ib < m; ib += GEMM_F32_MC) {
        const mb = min(GEMM_F32_MC, m - ib);
        for (let t = 0; t < mb; t += MR) {
          const i = ib + t;
          const mr = min(MR, mb - t);
          const ap = scratch + (<usize>(t * kc) << 2);
          // pack each A tile just before use (see gemm_f32_common.ts)
          if (trans_a) packAPanel(kc, a + <usize>kb * ldaB + (<usize>i << 2), 4, ldaB, mr, MR, ap);
          else packAPanel(kc, a + <usize>i * ldaB + (<usize>kb << 2), ldaB, 4, mr, MR, ap);
          const ci = c + <usize>i * ldcB;
          for (let j = jc; j < je; j += 8) {
            const nr = min(8, n - j);
            let bp: usize;
            let bsk: usize = 32;
            if (b_packed) {
              bp = b + ((<usize>j * <usize>ldb + (<usize>kb << 3)) << 2);
            } else if (nr == 8) {
              bp = b + <usize>kb * ldbB + (<usize>j << 2);
              bsk = ldbB;
            } else {
              bp = bBlock;
            }
            const cij = ci + (<usize>j << 2);
            const bij = kBias ? kBias + (<usize>j << 2) : 0;
            for (let r = 0; r < mr; r += 2) {
              const cr = cij + <usize>r * ldcB;
              block2x4(kc, ap + (<usize>r << 2), bp, bsk, cr, ldcB, mr - r, nr, loadC, bij);
              if (nr > 4) {
                block2x4(kc, ap + (<usize>r << 2), bp + 16, bsk, cr + 16, ldcB, mr - r, nr - 4, loadC,
                  bij ? bij + 16 : 0);
              }
            }
          }
        }
      }
    }
    kb += kc;
  } while (kb < k);
}

// Packs B into ⌈n/8⌉ zero-padded panels [k][8]; the layout of gemm_f32_pack_b_8__simd (see there).
export function gemm_f32_pack_b_8__scalar(
  k: i32, n: i32, b: usize, ldb: i32, trans_b: i32, packed: usize,
): void {
  assert(k >= 0 && n >= 0 && ldb >= max(1, trans_b ? k : n));
  const ldbB = <usize>ldb << 2;
  // element (kk, j): row-major at kk·ldb + j, transposed at j·ldb + kk
  const sk: usize = trans_b ? 4 : ldbB;
  const sj: usize = trans_b ? ldbB : 4;
  let dst = packed;
  for (let j = 0; j < n; j += 8) {
    const nr = min(8, n - j);
    let src = b + <usize>j * sj;
    for (let kk = 0; kk < k; kk++) {
      for (let jj = 0; jj < 8; jj++) {
        store<f32>(dst + (<usize>jj << 2), jj < nr ? load<f32>(src + <usize>jj * sj) : 0);
      }
      src += sk;
      dst += 32;
    }
  }
}
