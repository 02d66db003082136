// gemm_i8_scalar.ts — INT8 GEMM: weight packing (shared by every ISA) and scalar micro-kernels.
//
// gemm_i8_pack_8c2__scalar: packs B once, for every gemm_i8 / gemm_i8_i32 variant.
//   B is [k×n] row-major (layout 0, B[kk][j] at b + kk·ldb + j) or [n×k] (layout 1, PyTorch Linear
//   weight [out][in], B[kk][j] at b + j·ldb + kk). Output, per block of 8 columns (ceil(n/8) blocks,
//   64 + 16·kp bytes each, kp = k rounded up to even):
//     +0   i32 bias[8]    (0 where bias == 0 or j ≥ n)
//     +32  i32 colsum[8]  Σ_k B[k][j], for the zero-point fold
//     +64  i16 [kp/2][8 cols][2 k]: B[2p][j], B[2p+1][j] as a pair, 0 for k ≥ K and j ≥ n
//   Widening to i16 at pack time is what lets the SIMD kernel use i32x4.dot_i16x8_s on raw pairs.
// gemm_i8_2x4c2__scalar / gemm_i8_i32_2x4c2__scalar / gemm_i8_f32_2x4c2__scalar: same contract as the __simd kernels (see
//   gemm_i8_simd.ts); 2×4 register tile walking each packed 8-column block in two halves.
//   `scratch` is accepted (same signature as the SIMD variants) but not used.
// Reads at most 1 byte past the end of an A row (the zero-padded pair of an odd k); never writes
// past C.
// Overflow: |a·b| ≤ 2^14, so Σ a·b is exact in i32 for k < 2^17 (asserted); bias and −za·colsum
//   wrap modulo 2^32, as the twin does.
// Rounding: y = clamp(round_half_even(acc·mult / 2^shift) + zo, qmin, qmax), exact in i64.
// Twin: kernels/ref/gemm_i8.ts — results must be bit-exact.

const NR = 8;
const MAX_K = 1 << 17;

// @ts-ignore: decorator
@inline function packedBlockBytes(kp: i32): usize {
  return 64 + (<usize>kp << 4);
}

export function gemm_i8_pack_8c2__scalar(
  n: i32, k: i32, b: usize, ldb: i32, layout: i32, bias: usize, packed: usize,
): void {
  assert(n >= 1 && k >= 1 && k < MAX_K && (layout == 0 || layout == 1));
  assert(layout == 0 ? ldb >= n : ldb >= k);
  const kp = (k + 1) & ~1;
  const nb = (n + NR - 1) >> 3;
  const bb = packedBlockBytes(kp);
  // Element (kk, j) sits at b + kk·sk + j·sj.
  const sk: usize = layout == 0 ? <usize>ldb : 1;
  const sj: usize = layout == 0 ? 1 : <usize>ldb;
  for (let jb = 0; jb < nb; jb++) {
    const blk = packed + <usize>jb * bb;
    for (let c = 0; c < NR; c++) {
      const j = (jb << 3) + c;
      const valid = j < n;
      const col = b + <usize>j * sj;
      let sum = 0;
      for (let kk = 0; kk < kp; kk++) {
        const v: i32 = valid && kk < k ? <i32>load<i8>(col + <usize>kk * sk) : 0;
        sum += v;
        store<i16>(blk + 64 + (<usize>(kk >> 1) << 5) + (<usize>c << 2) + (<usize>(kk & 1) << 1), <i16>v);
      }
      store<i32>(blk + (<usize>c << 2), valid && bias ? load<i32>(bias + (<usize>j << 2)) : 0);
      store<i32>(blk + 32 + (<usize>c << 2), sum);
    }
  }
}

// @ts-ignore: decorator
@inline function requant(acc: i32, mult: i32, shift: i32, zo: i32, qmin: i32, qmax: i32): i8 {
  const p = <i64>acc * <i64>mult;
  const r = (p + ((<i64>1 << (shift - 1)) - 1) + ((p >> shift) & 1)) >> shift;
  const q = r + <i64>zo;
  return <i8>(q < <i64>qmin ? <i64>qmin : q > <i64>qmax ? <i64>qmax : q);
}

// One 2-row × 4-column tile: the 4 columns are half h of packed block `blk`.
// `requantize` is a compile-time constant at each call site.
// @ts-ignore: decorator
@inline function tile2x4(
  a0: usize, a1: usize, k: i32, blk: usize, h: i32, nr: i32, za: i32, c0: usize, c1: usize,
  mults: usize, col: i32, shift: i32, zo: i32, qmin: i32, qmax: i32, requantize: bool,
): void {
  const kp2 = (k + 1) >> 1;
  const hb = <usize>(h << 4); // byte offset of this half inside a block row
  let b00 = 0, b01 = 0, b02 = 0, b03 = 0; // row 0, columns 0..3 of the half
  let b10 = 0, b11 = 0, b12 = 0, b13 = 0;
  let wp = blk + 64 + hb;
  for (let p = 0; p < kp2; p++) {
    // a[k] for an odd k's padded pair is 1 byte past the row; it meets a zero weight.
    const o = <usize>(p << 1);
    const x0 = <i32>load<i8>(a0 + o);
    const x1 = <i32>load<i8>(a0 + o + 1);
    const y0 = <i32>load<i8>(a1 + o);
    const y1 = <i32>load<i8>(a1 + o + 1);
    let u = <i32>load<i16>(wp);
    let v = <i32>load<i16>(wp, 2);
    b00 += x0 * u + x1 * v;
    b10 += y0 * u + y1 * v;
    u = <i32>load<i16>(wp, 4);
    v = <i32>load<i16>(wp, 6);
    b01 += x0 * u + x1 * v;
    b11 += y0 * u + y1 * v;
    u = <i32>load<i16>(wp, 8);
    v = <i32>load<i16>(wp, 10);
    b02 += x0 * u + x1 * v;
    b12 += y0 * u + y1 * v;
    u = <i32>load<i16>(wp, 12);
    v = <i32>load<i16>(wp, 14);
    b03 += x0 * u + x1 * v;
    b13 += y0 * u + y1 * v;
    wp += 32;
  }
  // acc = Σ a·b + bias − za·colsum, wrapping like the twin.
  const bs = blk + hb;
  const f0 = load<i32>(bs) - za * load<i32>(bs, 32);
  const f1 = load<i32>(bs, 4) - za * load<i32>(bs, 36);
  const f2 = load<i32>(bs, 8) - za * load<i32>(bs, 40);
  const f3 = load<i32>(bs, 12) - za * load<i32>(bs, 44);
  b00 += f0; b01 += f1; b02 += f2; b03 += f3;
  b10 += f0; b11 += f1; b12 += f2; b13 += f3;
  // Store row 1 first: when the tile has one row, c1 == c0 and row 0 (same values) wins anyway.
  if (requantize) {
    const mp = mults + (<usize>col << 2);
    const m0 = load<i32>(mp);
    const m1 = nr > 1 ? load<i32>(mp, 4) : 0;
    const m2 = nr > 2 ? load<i32>(mp, 8) : 0;
    const m3 = nr > 3 ? load<i32>(mp, 12) : 0;
    store<i8>(c1, requant(b10, m0, shift, zo, qmin, qmax));
    store<i8>(c0, requant(b00, m0, shift, zo, qmin, qmax));
    if (nr > 1) {
      store<i8>(c1, requant(b11, m1, shift, zo, qmin, qmax), 1);
      store<i8>(c0, requant(b01, m1, shift, zo, qmin, qmax), 1);
    }
    if (nr > 2) {
      store<i8>(c1, requant(b12, m2, shift, zo, qmin, qmax), 2);
      store<i8>(c0, requant(b02, m2, shift, zo, qmin, qmax), 2);
    }
    if (nr > 3) {
      store<i8>(c1, requant(b13, m3, shift, zo, qmin, qmax), 3);
      store<i8>(c0, requant(b03, m3, shift, zo, qmin, qmax), 3);
    }
  } else {
    store<i32>(c1, b10);
    store<i32>(c0, b00);
    if (nr > 1) {
      store<i32>(c1, b11, 4);
      store<i32>(c0, b01, 4);
    }
    if (nr > 2) {
      store<i32>(c1, b12, 8);
      store<i32>(c0, b02, 8);
    }
    if (nr > 3) {
      store<i32>(c1, b13, 12);
      store<i32>(c0, b03, 12);
    }
  }
}

// @ts-ignore: decorator
@inline function gemmScalar(
  m: i32, n: i32, k: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32, za: i32,
  mults: usize, shift: i32, zo: i32, qmin: i32, qmax: i32, requantize: bool,
): void {
  const bb = packedBlockBytes((k + 1) & ~1);
  const eb: usize = requantize ? 1 : 4; // bytes per C element
  for (let i = 0; i < m; i += 2) {
    const a0 = a + <usize>i * lda;
    const a1 = i + 1 < m ? a0 + lda : a0;
    const c0 = c + <usize>i * ldc * eb;
    const c1 = i + 1 < m ? c0 + <usize>ldc * eb : c0;
    for (let col = 0; col < n; col += 4) {
      const blk = w + <usize>(col >> 3) * bb;
      const nr = min(4, n - col);
      const o = <usize>col * eb;
      tile2x4(a0, a1, k, blk, (col >> 2) & 1, nr, za, c0 + o, c1 + o, mults, col, shift, zo, qmin, qmax, requantize);
    }
  }
}

export function gemm_i8_2x4c2__scalar(
  m: i32, n: i32, k: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32,
  za: i32, mults: usize, shift: i32, zo: i32, qmin: i32, qmax: i32, scratch: usize,
): void {
  assert(m >= 0 && n >= 1 && k >= 1 && k < MAX_K && lda >= k && ldc >= n);
  assert(za >= -128 && za <= 127 && zo >= -128 && zo <= 127);
  assert(qmin >= -128 && qmin <= qmax && qmax <= 127 && shift >= 1 && shift <= 62);
  assert(mults != 0 && packed != 0);
  gemmScalar(m, n, k, a, lda, packed, c, ldc, za, mults, shift, zo, qmin, qmax, true);
}

export function gemm_i8_i32_2x4c2__scalar(
  m: i32, n: i32, k: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32, za: i32, scratch: usize,
): void {
  assert(m >= 0 && n >= 1 && k >= 1 && k < MAX_K && lda >= k && ldc >= n);
  assert(za >= -128 && za <= 127 && packed != 0);
  gemmScalar(m, n, k, a, lda, packed, c, ldc, za, 0, 1, 0, 0, 0, false);
}

export function gemm_i8_f32_2x4c2__scalar(
  m: i32, n: i32, k: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32, za: i32, scales: usize,
  scratch: usize,
): void {
  assert(m >= 0 && n >= 1 && k >= 1 && k < MAX_K && lda >= k && ldc >= n);
  assert(za >= -128 && za <= 127 && packed != 0 && scales != 0);
  gemmScalar(m, n, k, a, lda, packed, c, ldc, za, 0, 1, 0, 0, 0, false);
  // Dequantize in place: an i32 and an f32 have the same size.
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    for (let j = 0; j < n; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, <f32>load<i32>(p) * load<f32>(scales + (<usize>j << 2)));
    }
  }
}
