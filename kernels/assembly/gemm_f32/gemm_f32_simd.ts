// gemm_f32_simd.ts — f32 GEMM, WASM SIMD128: C = op(A)·B (+ bias) or C += op(A)·B (+ bias).
//
// C[m×n] row-major with row stride ldc. op(A) = A (trans_a = 0: A(i,kk) at a[i·lda + kk]) or Aᵀ
//   (trans_a = 1: A stored k×m, A(i,kk) at a[kk·lda + i]). B either row-major k×n with row stride ldb
//   (b_packed = 0) or packed by gemm_f32_pack_b_8 into 8-column panels [⌈n/8⌉][ldb][8] (b_packed = 1,
//   ldb = the K the panels were packed with, ≥ k). A transposed B (NT) goes through the packer.
// Micro-tile 5×8: 10 f32x4 accumulators, per k one v128.load32_splat of each A row and two B
//   vectors. V8 gives WASM 16 xmm registers and keeps one as scratch: 10 + 2 + 1 splat + 1 product
//   fits, 6×8 does not; 5×8 measured 87% of the mul+add ceiling where 4×8 reached 75% (the loop's
//   fixed overhead, ~9 instructions per k, is spread over 20 products instead of 16).
// Packing: every A tile is packed into a 5-row panel [kc][5] in `scratch` (for NN a 4×4 register
//   transpose, for TN a copy of the 5 side-by-side values of each step), so the splats read one
//   pointer with immediate offsets. A row-major B is copied into panels per K×N block when that pays
//   (copyB in gemm_f32_common.ts) and read in place otherwise, except a last panel narrower than 8
//   columns, copied zero-padded. Blocking and loop order: gemm_f32_common.ts.
// Scratch: GEMM_F32_SCRATCH_BYTES (632 KiB) per concurrent call, owned by the caller.
// Reads past buffers: none; C is written only inside its m×n view.
// Accumulation: every C element is init + Σ_kk A(i,kk)·B(kk,j) summed in increasing kk, one f32
//   multiply and one f32 add per step (no FMA), init = (accumulate ? C : 0) + (bias ? bias[j] : 0)
//   added first. K blocking stores the f32 partial sum and reloads it, so the result is bit-identical
//   to a plain sequential f32 loop — and to gemm_f32_4x8__scalar.
// Twin: kernels/ref/gemm_f32.ts (f64 accumulation) — within gemmF32Tolerance(max|ref|, k).
import {
  copyB, GEMM_F32_MC, GEMM_F32_NC, GEMM_F32_SCRATCH_A, kBlock, packAPanel, packBTail,
} from './gemm_f32_common';
import { loadPart, packBBlock, storePart } from './gemm_f32_vec';

const MR: i32 = 5;

// One 5×8 tile over kc steps. A(r, kk) at a + kk·20 + 4r (a packed panel); B(kk, 0..7) at b + kk·bsk
// (two vectors). Rows ≥ mr and columns ≥ nr are computed on zeros or whatever B holds and never stored.
function tile5x8(
  kc: i32, a: usize, b: usize, bsk: usize, c: usize, ldc: usize,
  mr: i32, nr: i32, loadC: bool, bias: usize,
): void {
  // Rows past mr alias the last real row for the loads; their stores are skipped below.
  const c1 = mr > 1 ? c + ldc : c;
  const c2 = mr > 2 ? c1 + ldc : c1;
  const c3 = mr > 3 ? c2 + ldc : c2;
  const c4 = mr > 4 ? c3 + ldc : c3;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00;
  // init: C (accumulate or a later K block), then + bias
  if (loadC) {
    if (nr == 8) {
      c00 = v128.load(c); c01 = v128.load(c, 16);
      c10 = v128.load(c1); c11 = v128.load(c1, 16);
      c20 = v128.load(c2); c21 = v128.load(c2, 16);
      c30 = v128.load(c3); c31 = v128.load(c3, 16);
      c40 = v128.load(c4); c41 = v128.load(c4, 16);
    } else {
      c00 = loadPart(c, nr); c01 = loadPart(c + 16, nr - 4);
      c10 = loadPart(c1, nr); c11 = loadPart(c1 + 16, nr - 4);
      c20 = loadPart(c2, nr); c21 = loadPart(c2 + 16, nr - 4);
      c30 = loadPart(c3, nr); c31 = loadPart(c3 + 16, nr - 4);
      c40 = loadPart(c4, nr); c41 = loadPart(c4 + 16, nr - 4);
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
  }
  // k loop: one step per iteration. Unrolling makes TurboFan hoist the next step's loads above this
  // step's arithmetic and spill accumulators (measured slower).
  let pa = a;
  let pb = b;
  const aEnd = a + <usize>kc * 20;
  while (pa < aEnd) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let va = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(va, b0)); c01 = f32x4.add(c01, f32x4.mul(va, b1));
    va = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(va, b0)); c11 = f32x4.add(c11, f32x4.mul(va, b1));
    va = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(va, b0)); c21 = f32x4.add(c21, f32x4.mul(va, b1));
    va = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(va, b0)); c31 = f32x4.add(c31, f32x4.mul(va, b1));
    va = v128.load32_splat(pa, 16);
    c40 = f32x4.add(c40, f32x4.mul(va, b0)); c41 = f32x4.add(c41, f32x4.mul(va, b1));
    pa += 20;
    pb += bsk;
  }
  // store, last row first: with c00 stored first TurboFan's register allocator spills six
  // accumulators inside the k loop (measured: 41% instead of 89% of the ceiling).
  if (nr == 8 && mr == MR) {
    v128.store(c4, c40); v128.store(c4, c41, 16);
    v128.store(c3, c30); v128.store(c3, c31, 16);
    v128.store(c2, c20); v128.store(c2, c21, 16);
    v128.store(c1, c10); v128.store(c1, c11, 16);
    v128.store(c, c00); v128.store(c, c01, 16);
    return;
  }
  if (mr > 4) { storePart(c4, c40, nr); storePart(c4 + 16, c41, nr - 4); }
  if (mr > 3) { storePart(c3, c30, nr); storePart(c3 + 16, c31, nr - 4); }
  if (mr > 2) { storePart(c2, c20, nr); storePart(c2 + 16, c21, nr - 4); }
  if (mr > 1) { storePart(c1, c10, nr); storePart(c1 + 16, c11, nr - 4); }
  storePart(c, c00, nr); storePart(c + 16, c01, nr - 4);
}


// One 5×4 tile: a last B panel with at most 4 real columns (n mod 8 ∈ 1..4) needs only the
// first B vector; the 5×8 tile would spend half its products on zero padding.
function tile5x4(
  kc: i32, a: usize, b: usize, bsk: usize, c: usize, ldc: usize,
  mr: i32, nr: i32, loadC: bool, bias: usize,
): void {
  const c1 = mr > 1 ? c + ldc : c;
  const c2 = mr > 2 ? c1 + ldc : c1;
  const c3 = mr > 3 ? c2 + ldc : c2;
  const c4 = mr > 4 ? c3 + ldc : c3;
  let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0, x4 = x0;
  if (loadC) {
    x0 = loadPart(c, nr);
    x1 = loadPart(c1, nr);
    x2 = loadPart(c2, nr);
    x3 = loadPart(c3, nr);
    x4 = loadPart(c4, nr);
  }
  if (bias) {
    const b0 = loadPart(bias, nr);
    x0 = f32x4.add(x0, b0);
    x1 = f32x4.add(x1, b0);
    x2 = f32x4.add(x2, b0);
    x3 = f32x4.add(x3, b0);
    x4 = f32x4.add(x4, b0);
  }
  let pa = a;
  let pb = b;
  const aEnd = a + <usize>kc * 20;
  while (pa < aEnd) {
    const b0 = v128.load(pb);
    x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(pa), b0));
    x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(pa, 4), b0));
    x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(pa, 8), b0));
    x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(pa, 12), b0));
    x4 = f32x4.add(x4, f32x4.mul(v128.load32_splat(pa, 16), b0));
    pa += 20;
    pb += bsk;
  }
  // store, last row first (as in the 8-wide tile)
  if (mr > 4) storePart(c4, x4, nr);
  if (mr > 3) storePart(c3, x3, nr);
  if (mr > 2) storePart(c2, x2, nr);
  if (mr > 1) storePart(c1, x1, nr);
  storePart(c, x0, nr);
}

// Packs rows [0, mr) of an NN block (row stride rs bytes, k contiguous) into a [kc][5] panel, rows
// ≥ mr zero. Four k at a time: rows 0–3 are transposed in registers and stored as whole vectors at
// the step offsets 0, 20, 40, 60 (overlapping the previous step's 5th slot, written after), row 4
// goes lane by lane into slots 16, 36, 56, 76.
function packA5(kc: i32, a: usize, rs: usize, mr: i32, dst: usize): void {
  if (mr < MR) {
    packAPanel(kc, a, rs, 4, mr, MR, dst);
    return;
  }
  const r1 = a + rs;
  const r2 = r1 + rs;
  const r3 = r2 + rs;
  const r4 = r3 + rs;
  let kk = 0;
  let off: usize = 0;
  let d = dst;
  for (; kk + 4 <= kc; kk += 4) {
    const v0 = v128.load(a + off);
    const v1 = v128.load(r1 + off);
    const v2 = v128.load(r2 + off);
    const v3 = v128.load(r3 + off);
    const v4 = v128.load(r4 + off);
    const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
    const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
    const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
    v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
    v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 20);
    v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 40);
    v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 60);
    v128.store32_lane(d, v4, 0, 16);
    v128.store32_lane(d, v4, 1, 36);
    v128.store32_lane(d, v4, 2, 56);
    v128.store32_lane(d, v4, 3, 76);
    off += 16;
    d += 80;
  }
  for (; kk < kc; kk++) {
    store<f32>(d, load<f32>(a + off));
    store<f32>(d, load<f32>(r1 + off), 4);
    store<f32>(d, load<f32>(r2 + off), 8);
    store<f32>(d, load<f32>(r3 + off), 12);
    store<f32>(d, load<f32>(r4 + off), 16);
    off += 4;
    d += 20;
  }
}

// Packs rows [0, mr) of a TN block (A(r, kk) at a + kk·cs + 4r: the 5 values of a step sit side by
// side) into a [kc][5] panel, rows ≥ mr zero. Reading in place instead would walk A with stride lda,
// and a power-of-two lda (512 floats) maps every step onto two L1 sets (measured 60% → 88%).
function packA5T(kc: i32, a: usize, cs: usize, mr: i32, dst: usize): void {
  if (mr < MR) {
    packAPanel(kc, a, 4, cs, mr, MR, dst);
    return;
  }
  let s = a;
  let d = dst;
  const end = dst + <usize>kc * 20;
  while (d < end) {
    v128.store(d, v128.load(s));
    store<f32>(d, load<f32>(s, 16), 16);
    s += cs;
    d += 20;
  }
}

export function gemm_f32_5x8__simd(
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
          if (trans_a) packA5T(kc, a + <usize>kb * ldaB + (<usize>i << 2), ldaB, mr, ap);
          else packA5(kc, a + <usize>i * ldaB + (<usize>kb << 2), ldaB, mr, ap);
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
            if (nr > 4) tile5x8(kc, ap, bp, bsk, cij, ldcB, mr, nr, loadC, bij);
            else tile5x4(kc, ap, bp, bsk, cij, ldcB, mr, nr, loadC, bij);
          }
        }
      }
    }
    kb += kc;
  } while (kb < k);
}

// Packs B (k×n; trans_b = 0: B(kk,j) at b[kk·ldb + j], 1: at b[j·ldb + kk]) into ⌈n/8⌉ panels of
// [k][8] f32, columns ≥ n zero. The transpose happens here, in 4×4 blocks, so NT costs nothing in
// the GEMM's inner loop. Reads nothing past B; writes exactly ⌈n/8⌉·8·k floats.
export function gemm_f32_pack_b_8__simd(
  k: i32, n: i32, b: usize, ldb: i32, trans_b: i32, packed: usize,
): void {
  assert(k >= 0 && n >= 0 && ldb >= max(1, trans_b ? k : n));
  const ldbB = <usize>ldb << 2;
  let dst = packed;
  for (let j = 0; j < n; j += 8) {
    const nr = min(8, n - j);
    if (!trans_b) {
      let src = b + (<usize>j << 2);
      if (nr == 8) {
        for (let kk = 0; kk < k; kk++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldbB;
          dst += 32;
        }
      } else {
        for (let kk = 0; kk < k; kk++) {
          v128.store(dst, loadPart(src, nr));
          v128.store(dst, loadPart(src + 16, nr - 4), 16);
          src += ldbB;
          dst += 32;
        }
      }
      continue;
    }
    // trans_b: column j+jj of B is row j+jj of the stored matrix, contiguous in kk.
    const row = b + <usize>j * ldbB;
    let kk = 0;
    if (nr == 8) {
      for (; kk + 4 <= k; kk += 4) {
        const off = <usize>kk << 2;
        for (let h = 0; h < 2; h++) {
          const r = row + <usize>(h * 4) * ldbB + off;
          const x0 = v128.load(r);
          const x1 = v128.load(r + ldbB);
          const x2 = v128.load(r + 2 * ldbB);
          const x3 = v128.load(r + 3 * ldbB);
          // 4×4 transpose: rows x0..x3 (4 columns of B, 4 k each) → 4 k-rows of 4 columns
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const d = dst + (<usize>(h * 4) << 2);
          v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 32);
          v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 64);
          v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 96);
        }
        dst += 128;
      }
    }
    for (; kk < k; kk++) {
      const src = row + (<usize>kk << 2);
      for (let jj = 0; jj < 8; jj++) {
        store<f32>(dst + (<usize>jj << 2), jj < nr ? load<f32>(src + <usize>jj * ldbB) : 0);
      }
      dst += 32;
    }
  }
}
