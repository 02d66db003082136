// gemm_f32_common.ts — the blocking constants and the scalar packing every gemm_f32 variant shares.
//
// Loop order (outer → inner): K blocks of ≤ KC, N blocks of NC columns (a row-major B block is
// copied into panels here, see copyB), M blocks of MC rows, A tiles (mr rows, packed just before
// use), B panels (8 columns). One packed A tile (KC×mr f32 ≤ 12 KiB) stays in L1 while it meets every
// B panel of the N block; the B block (KC×NC f32 = 512 KiB) stays in L2 for all M blocks. Packing A
// tile by tile spreads the loads of an A that streams from memory (skinny shapes) over the whole
// computation instead of one burst per block; for n > NC the A tiles are packed once per N block.
// K is cut into equal blocks (k = 513 gives 257 + 256, not 512 + 1) so no block is all loop
// overhead. MC = 60 is a multiple of every micro-tile height (4, 5, 6).
// KC = 512 rather than 256 (with MC 120 → 60, so the A block keeps its size): each A row is then read
// in 2 KiB runs instead of 1 KiB ones, which the hardware prefetchers follow better when A streams
// from memory (WASM has no prefetch instruction), and C is reloaded half as often. Measured (one
// thread, simd128, same process): 32768×32×512 35.0 → 38.3–39.8 GFLOPS, 512×32×2048 37.8 → 40.4,
// 512³ 45.5 → 48.2; shapes with k ≤ 256 unchanged. The B block (512 KiB) still fits the 1 MiB L2.

export const GEMM_F32_KC: i32 = 512;
export const GEMM_F32_MC: i32 = 60;
export const GEMM_F32_NC: i32 = 256;
/**
 * Scratch per call: the packed A block, then one B block as panels (a row-major B copied block by
 * block, or just its narrow last panel).
 */
export const GEMM_F32_SCRATCH_A: usize = <usize>(GEMM_F32_MC * GEMM_F32_KC) << 2;
export const GEMM_F32_SCRATCH_BYTES: usize = GEMM_F32_SCRATCH_A + (<usize>(GEMM_F32_KC * GEMM_F32_NC) << 2);

/**
 * Whether a row-major B is copied into panels block by block rather than read in place. Copying
 * costs one pass over B per K×N block; it pays when many A tiles reuse each block (m ≥ 64), or
 * when ldb is a multiple of 1024 floats: rows 4 KiB apart fall into a handful of cache sets
 * (512×1024×512 NN: 58% of the mul+add ceiling in place, 85% copied). A weight gradient
 * (m = 32, K = tokens) uses each B element once and stays in place (32×256×32768 TN: 61% in
 * place, 48% copied).
 */
// @ts-ignore: decorator
@inline export function copyB(m: i32, ldb: i32): bool {
  return m >= 64 || (ldb & 1023) == 0;
}

/** Number of K blocks and their (equal, rounded up) length for a K of k. */
// @ts-ignore: decorator
@inline export function kBlock(k: i32): i32 {
  const nkb = (k + GEMM_F32_KC - 1) / GEMM_F32_KC;
  return nkb > 1 ? (k + nkb - 1) / nkb : k;
}

/**
 * Packs rows [0, mr) × k-range [0, kc) of A into one panel [kc][MR] (A(r, kk) at (kk·MR + r)·4),
 * rows mr..MR−1 zero. A(r, kk) is at a + r·rs + kk·cs (bytes): NN uses rs = lda·4, cs = 4; TN the
 * reverse. Zero rows keep garbage (NaN, ∞) out of the unused accumulator lanes.
 */
export function packAPanel(kc: i32, a: usize, rs: usize, cs: usize, mr: i32, MR: i32, dst: usize): void {
  const step = <usize>MR << 2;
  for (let r = 0; r < MR; r++) {
    let d = dst + (<usize>r << 2);
    if (r < mr) {
      let s = a + <usize>r * rs;
      for (let kk = 0; kk < kc; kk++) {
        store<f32>(d, load<f32>(s));
        s += cs;
        d += step;
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        store<f32>(d, 0);
        d += step;
      }
    }
  }
}

/** Copies columns [0, nr) of a row-major kc×nr block of B into one zero-padded panel [kc][8]. */
export function packBTail(kc: i32, b: usize, ldbBytes: usize, nr: i32, dst: usize): void {
  for (let kk = 0; kk < kc; kk++) {
    for (let jj = 0; jj < 8; jj++) {
      store<f32>(dst + (<usize>jj << 2), jj < nr ? load<f32>(b + (<usize>jj << 2)) : 0);
    }
    b += ldbBytes;
    dst += 32;
  }
}
