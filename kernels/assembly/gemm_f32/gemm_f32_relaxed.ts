// gemm_f32_relaxed.ts — f32 GEMM, relaxed SIMD: gemm_f32_5x8__simd with f32x4.relaxed_madd (FMA).
//
// Same operation, arguments, B layouts, scratch and blocking as gemm_f32_simd.ts (see its header).
// Micro-tile 6×8: 12 f32x4 accumulators. With FMA the product needs no register of its own, so
//   12 + 2 B vectors + 1 splat = 15 fit V8's 15 allocatable xmm registers (mul+add stops at 5×8).
// Packing: A as 6-row panels [kc][6] (rows ≥ mr zero), always — in place TN would read 8 bytes
//   past the buffer on a partial tile, and a power-of-two lda thrashes L1.
// Reads past buffers: nothing (B's last narrow panel is copied into scratch).
// Accumulation: init as in the simd128 file, then c = fma(a, b, c) in increasing kk. relaxed_madd
//   may fuse (one rounding) or not (two), depending on the engine and CPU; on x64 V8 emits
//   vfmadd231ps. Results therefore differ from the simd128/scalar variants by rounding only.
// Twin: kernels/ref/gemm_f32.ts (f64 accumulation) — within gemmF32Tolerance(max|ref|, k).
import {
  copyB, GEMM_F32_MC, GEMM_F32_NC, GEMM_F32_SCRATCH_A, kBlock, packAPanel, packBTail,
} from './gemm_f32_common';
import { loadPart, packBBlock, storePart } from './gemm_f32_vec';

const MR: i32 = 6;

// One 6×8 tile over kc steps. A(r, kk) at a + kk·24 + 4r (a packed panel); B(kk, 0..7) at b + kk·bsk.
function tile6x8(
  kc: i32, a: usize, b: usize, bsk: usize, c: usize, ldc: usize,
  mr: i32, nr: i32, loadC: bool, bias: usize,
): void {
  const c1 = mr > 1 ? c + ldc : c;
  const c2 = mr > 2 ? c1 + ldc : c1;
  const c3 = mr > 3 ? c2 + ldc : c2;
  const c4 = mr > 4 ? c3 + ldc : c3;
  const c5 = mr > 5 ? c4 + ldc : c4;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  // init: C (accumulate or a later K block), then + bias
  if (loadC) {
    if (nr == 8) {
      c00 = v128.load(c); c01 = v128.load(c, 16);
      c10 = v128.load(c1); c11 = v128.load(c1, 16);
      c20 = v128.load(c2); c21 = v128.load(c2, 16);
      c30 = v128.load(c3); c31 = v128.load(c3, 16);
      c40 = v128.load(c4); c41 = v128.load(c4, 16);
      c50 = v128.load(c5); c51 = v128.load(c5, 16);
    } else {
      c00 = loadPart(c, nr); c01 = loadPart(c + 16, nr - 4);
      c10 = loadPart(c1, nr); c11 = loadPart(c1 + 16, nr - 4);
      c20 = loadPart(c2, nr); c21 = loadPart(c2 + 16, nr - 4);
      c30 = loadPart(c3, nr); c31 = loadPart(c3 + 16, nr - 4);
      c40 = loadPart(c4, nr); c41 = loadPart(c4 + 16, nr - 4);
      c50 = loadPart(c5, nr); c51 = loadPart(c5 + 16, nr - 4);
    }
  }
  if (bias) {
    const b0 = loadPart(bias, nr);
    const b1 = loadPart(bias + 16, nr - 4);
    c00 = f32x4.add(c00, b0); c01 = f32x4.add(c01, b1);
    c10 = f32x4.add(c10, b0); c11 = f32x4.add(c11, b1);
    c20 = f32x4.add(c20, b0); c21 = f32x4.add(c21, b1);
    c30 = f32x4.add(c30, b0); c31 = f32x4.add(c31, b1);
    c40 = f32x4.add(c40, b0); c41 = f32x4.add(c41, b1);
    c50 = f32x4.add(c50, b0); c51 = f32x4.add(c51, b1);
  }
  // k loop: one step per iteration (see gemm_f32_simd.ts on unrolling)
  let pa = a;
  let pb = b;
  const aEnd = a + <usize>kc * 24;
  while (pa < aEnd) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let va = v128.load32_splat(pa);
    c00 = f32x4.relaxed_madd(va, b0, c00); c01 = f32x4.relaxed_madd(va, b1, c01);
    va = v128.load32_splat(pa, 4);
    c10 = f32x4.relaxed_madd(va, b0, c10); c11 = f32x4.relaxed_madd(va, b1, c11);
    va = v128.load32_splat(pa, 8);
    c20 = f32x4.relaxed_madd(va, b0, c20); c21 = f32x4.relaxed_madd(va, b1, c21);
    va = v128.load32_splat(pa, 12);
    c30 = f32x4.relaxed_madd(va, b0, c30); c31 = f32x4.relaxed_madd(va, b1, c31);
    va = v128.load32_splat(pa, 16);
    c40 = f32x4.relaxed_madd(va, b0, c40); c41 = f32x4.relaxed_madd(va, b1, c41);
    va = v128.load32_splat(pa, 20);
    c50 = f32x4.relaxed_madd(va, b0, c50); c51 = f32x4.relaxed_madd(va, b1, c51);
    pa += 24;
    pb += bsk;
  }
  // store, last row first (see gemm_f32_simd.ts: the other order makes TurboFan spill in the loop)
  if (nr == 8 && mr == MR) {
    v128.store(c5, c50); v128.store(c5, c51, 16);
    v128.store(c4, c40); v128.store(c4, c41, 16);
    v128.store(c3, c30); v128.store(c3, c31, 16);
    v128.store(c2, c20); v128.store(c2, c21, 16);
    v128.store(c1, c10); v128.store(c1, c11, 16);
    v128.store(c, c00); v128.store(c, c01, 16);
    return;
  }
  if (mr > 5) { storePart(c5, c50, nr); storePart(c5 + 16, c51, nr - 4); }
  if (mr > 4) { storePart(c4, c40, nr); storePart(c4 + 16, c41, nr - 4); }
  if (mr > 3) { storePart(c3, c30, nr); storePart(c3 + 16, c31, nr - 4); }
  if (mr > 2) { storePart(c2, c20, nr); storePart(c2 + 16, c21, nr - 4); }
  if (mr > 1) { storePart(c1, c10, nr); storePart(c1 + 16, c11, nr - 4); }
  storePart(c, c00, nr); storePart(c + 16, c01, nr - 4);
}


// One 6×4 tile: a last B panel with at most 4 real columns (n mod 8 ∈ 1..4) needs only the
// first B vector; the 6×8 tile would spend half its products on zero padding.
function tile6x4(
  kc: i32, a: usize, b: usize, bsk: usize, c: usize, ldc: usize,
  mr: i32, nr: i32, loadC: bool, bias: usize,
): void {
  const c1 = mr > 1 ? c + ldc : c;
  const c2 = mr > 2 ? c1 + ldc : c1;
  const c3 = mr > 3 ? c2 + ldc : c2;
  const c4 = mr > 4 ? c3 + ldc : c3;
  const c5 = mr > 5 ? c4 + ldc : c4;
  let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0;
  if (loadC) {
    x0 = loadPart(c, nr);
    x1 = loadPart(c1, nr);
    x2 = loadPart(c2, nr);
    x3 = loadPart(c3, nr);
    x4 = loadPart(c4, nr);
    x5 = loadPart(c5, nr);
  }
  if (bias) {
    const b0 = loadPart(bias, nr);
    x0 = f32x4.add(x0, b0);
    x1 = f32x4.add(x1, b0);
    x2 = f32x4.add(x2, b0);
    x3 = f32x4.add(x3, b0);
    x4 = f32x4.add(x4, b0);
    x5 = f32x4.add(x5, b0);
  }
  let pa = a;
  let pb = b;
  const aEnd = a + <usize>kc * 24;
  while (pa < aEnd) {
    const b0 = v128.load(pb);
    x0 = f32x4.relaxed_madd(v128.load32_splat(pa), b0, x0);
    x1 = f32x4.relaxed_madd(v128.load32_splat(pa, 4), b0, x1);
    x2 = f32x4.relaxed_madd(v128.load32_splat(pa, 8), b0, x2);
    x3 = f32x4.relaxed_madd(v128.load32_splat(pa, 12), b0, x3);
    x4 = f32x4.relaxed_madd(v128.load32_splat(pa, 16), b0, x4);
    x5 = f32x4.relaxed_madd(v128.load32_splat(pa, 20), b0, x5);
    pa += 24;
    pb += bsk;
  }
  // store, last row first (as in the 8-wide tile)
  if (mr > 5) storePart(c5, x5, nr);
  if (mr > 4) storePart(c4, x4, nr);
  if (mr > 3) storePart(c3, x3, nr);
  if (mr > 2) storePart(c2, x2, nr);
  if (mr > 1) storePart(c1, x1, nr);
  storePart(c, x0, nr);
}

// NN block (row stride rs bytes, k contiguous) → [kc][6] panel, rows ≥ mr zero. Four k at a time:
// rows 0–3 transposed in registers and stored whole at step offsets 0, 24, 48, 72; rows 4–5
// interleaved into pairs and stored as 64-bit lanes at 16, 40, 64, 88.
function packA6(kc: i32, a: usize, rs: usize, mr: i32, dst: usize): void {
  if (mr < MR) {
    packAPanel(kc, a, rs, 4, mr, MR, dst);
    return;
  }
  const r1 = a + rs;
  const r2 = r1 + rs;
  const r3 = r2 + rs;
  const r4 = r3 + rs;
  const r5 = r4 + rs;
  let kk = 0;
  let off: usize = 0;
  let d = dst;
  for (; kk + 4 <= kc; kk += 4) {
    const v0 = v128.load(a + off);
    const v1 = v128.load(r1 + off);
    const v2 = v128.load(r2 + off);
    const v3 = v128.load(r3 + off);
    const v4 = v128.load(r4 + off);
    const v5 = v128.load(r5 + off);
    const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
    const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
    const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
    const u0 = i32x4.shuffle(v4, v5, 0, 4, 1, 5);
    const u1 = i32x4.shuffle(v4, v5, 2, 6, 3, 7);
    v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
    v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 24);
    v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 48);
    v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 72);
    v128.store64_lane(d, u0, 0, 16);
    v128.store64_lane(d, u0, 1, 40);
    v128.store64_lane(d, u1, 0, 64);
    v128.store64_lane(d, u1, 1, 88);
    off += 16;
    d += 96;
  }
  for (; kk < kc; kk++) {
    store<f32>(d, load<f32>(a + off));
    store<f32>(d, load<f32>(r1 + off), 4);
    store<f32>(d, load<f32>(r2 + off), 8);
    store<f32>(d, load<f32>(r3 + off), 12);
    store<f32>(d, load<f32>(r4 + off), 16);
    store<f32>(d, load<f32>(r5 + off), 20);
    off += 4;
    d += 24;
  }
}

// TN block (the 6 values of a step side by side, steps cs bytes apart) → [kc][6] panel.
function packA6T(kc: i32, a: usize, cs: usize, mr: i32, dst: usize): void {
  if (mr < MR) {
    packAPanel(kc, a, 4, cs, mr, MR, dst);
    return;
  }
  let s = a;
  let d = dst;
  const end = dst + <usize>kc * 24;
  while (d < end) {
    v128.store(d, v128.load(s));
    store<u64>(d, load<u64>(s, 16), 16);
    s += cs;
    d += 24;
  }
}

export function gemm_f32_6x8__relaxed(
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
  const copy = !b_packed && copyB(m, ldb);
  let kb = 0;
  do {
    const kc = min(kcMax, k - kb);
    const loadC = kb > 0 || accumulate != 0;
    const kBias = kb == 0 ? bias : 0;
    for (let jc = 0; jc < n; jc += GEMM_F32_NC) {
      const je = min(jc + GEMM_F32_NC, n);
      if (copy) {
        packBBlock(kc, je - jc, b + <usize>kb * ldbB + (<usize>jc << 2), ldbB, bBlock);
      } else if (!b_packed && ((je - jc) & 7) != 0) {
        // read in place, except a narrow last panel: copied zero-padded
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
          if (trans_a) packA6T(kc, a + <usize>kb * ldaB + (<usize>i << 2), ldaB, mr, ap);
          else packA6(kc, a + <usize>i * ldaB + (<usize>kb << 2), ldaB, mr, ap);
          const ci = c + <usize>i * ldcB;
          for (let j = jc; j < je; j += 8) {
            const nr = min(8, n - j);
            let bp: usize;
            let bsk: usize = 32;
            if (b_packed) {
              bp = b + ((<usize>j * <usize>ldb + (<usize>kb << 3)) << 2);
            } else if (copy) {
              bp = bBlock + (<usize>((j - jc) * kc) << 2);
            } else if (nr == 8) {
              bp = b + <usize>kb * ldbB + (<usize>j << 2);
              bsk = ldbB;
            } else {
              bp = bBlock;
            }
            const cij = ci + (<usize>j << 2);
            const bij = kBias ? kBias + (<usize>j << 2) : 0;
            if (nr > 4) tile6x8(kc, ap, bp, bsk, cij, ldcB, mr, nr, loadC, bij);
            else tile6x4(kc, ap, bp, bsk, cij, ldcB, mr, nr, loadC, bij);
          }
        }
      }
    }
    kb += kc;
  } while (kb < k);
}
