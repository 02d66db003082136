// gemm_i8_simd.ts — INT8 GEMM with fused requantization (and an int32-out twin), WASM SIMD128.
//
// gemm_i8_4x8c2__simd:     C[m×n] i8  = clamp(round_half_even(acc·mults[j] / 2^shift) + zo, qmin, qmax)
// gemm_i8_i32_4x8c2__simd: C[m×n] i32 = acc
// gemm_i8_f32_4x8c2__simd: C[m×n] f32 = f32(acc)·scales[j]   (dequantized: scales = s_a·s_w[j]; one
//   rounding in the conversion when |acc| ≥ 2^24, one in the multiply — the executor's path into the
//   f32 ops that follow a quantized layer, without an i32 round trip through memory)
// where acc[i][j] = Σ_k A[i][k]·B[k][j] + bias[j] − za·colsum[j]  (= Σ_k (A[i][k] − za)·B[k][j] + bias[j]).
//
// Micro-tile: mr×nr×kr = 4×8×2, i32x4.dot_i16x8_s + i32x4.add into 8 accumulators (V8 gives WASM
// 16 xmm registers: 8 acc + 2 B + 1 A + temps is about the largest tile that does not spill).
// A: row-major i8, row stride lda bytes. Each 4-row panel is widened once into `scratch` as
//   [ceil(k/16)·8 pairs][4 rows][2 k] i16, so the inner loop broadcasts one (a[k], a[k+1]) pair per
//   row with v128.load32_splat (a pure load) and the panel stays in L1 while all of packed B streams
//   past it. Rows past m repeat the last row (same values stored to the same address). Widening in
//   the loop instead (load16_splat + extend per row and k pair) costs 4 more ALU ops per 16 and is
//   paid again for every 8-column block; the panel costs 28 ops per 16 k per 4 rows, once.
// B: packed by gemm_i8_pack_8c2__scalar into blocks of 8 columns: i32 bias[8], i32 colsum[8], then
//   [kp/2][8 cols][2 k] i16 (kp = k rounded up to even, zero padded in k and in n).
// scratch (caller-owned, ≥ 128·(ceil(n/8) + ceil(k/16)) bytes, 16-byte aligned): per 8-column block
//   i32 bias'[8] = bias − za·colsum, i32 mults[8], f64 scales[8] = mults·2^−shift; then the A panel.
// Reads up to 15 bytes past the end of each A row (the 16-byte chunks of the widening); never
// writes past C: partial tiles store lane by lane.
// Overflow: |a·b| ≤ 2^14, so Σ a·b is exact in i32 for k < 2^17 (asserted); adding bias and
//   −za·colsum wraps modulo 2^32, as the twin does.
// Rounding, exact (bit-identical to rescaleHalfEven in kernels/ref/round.ts) on three paths:
//   shift ≤ 45: f64(acc)·f64(mult·2^−shift) is exact whenever |acc·mult| < 2^53, i.e. whenever
//     |result| < 2^(53−shift) ≥ 256; beyond that the clamp saturates anyway. Adding 1.5·2^52 then
//     rounds ties-to-even into the low word. For shift < 31 the f64 value is clamped to
//     [qmin−zo, qmax−zo] first (it may exceed i32); for shift ≥ 31 |result| < 2^31 and the
//     saturating narrows clamp.
//   shift > 45: i64 lanes, (p + 2^(shift−1) − 1 + ((p >> shift) & 1)) >> shift, with p offset by 2^63
//     so that the logical shift SIMD has acts as an arithmetic one.
//   Then + zo with saturation and clamp to [qmin, qmax] (i16/i8 saturating narrows are monotone, so
//   saturating early never changes a clamped result).
// Twin: kernels/ref/gemm_i8.ts — results must be bit-exact.

const NR = 8;
const MAX_K = 1 << 17;
/** 1.5·2^52: x + MAGIC rounds x ties-to-even into the low 32 bits of the f64 (|x| < 2^51). */
const MAGIC: f64 = 6755399441055744.0;

const MODE_I32 = 0;
const MODE_F64 = 1; // 31 ≤ shift ≤ 45
const MODE_F64_CLAMP = 2; // 1 ≤ shift < 31
const MODE_I64 = 3; // 46 ≤ shift ≤ 62
const MODE_F32 = 4; // dequantized output

// @ts-ignore: decorator
@inline function packedBlockBytes(kp: i32): usize {
  return 64 + (<usize>kp << 4);
}

// Per-call constants, 128 bytes per 8-column block, computed once so the tile epilogue only loads.
// @ts-ignore: decorator
@inline function prepareColumns(n: i32, k: i32, w: usize, za: i32, mults: usize, shift: i32, s: usize): void {
  const nb = (n + NR - 1) >> 3;
  const bb = packedBlockBytes((k + 1) & ~1);
  const inv = reinterpret<f64>(<i64>(1023 - shift) << 52); // 2^−shift, exact
  for (let j = 0; j < nb; j++) {
    const blk = w + <usize>j * bb;
    const d = s + (<usize>j << 7);
    for (let c = 0; c < NR; c++) {
      const o = <usize>(c << 2);
      store<i32>(d + o, load<i32>(blk + o) - za * load<i32>(blk + 32 + o));
      if (mults) {
        const col = (j << 3) + c;
        const m = col < n ? load<i32>(mults + (<usize>col << 2)) : 0;
        store<i32>(d + 32 + o, m);
        store<f64>(d + 64 + (<usize>c << 3), <f64>m * inv);
      }
    }
  }
}

// Widen 4 rows into the interleaved i16 panel, 16 k at a time: interleave the rows' i8 pairs
// (16-bit units) then the row pairs (32-bit units) while still 8-bit, and sign-extend last, so each
// extend yields one finished panel row. Reads ≤ 15 bytes past each row; values read past k only
// ever meet B's zero padding or are never read back.
// @ts-ignore: decorator
@inline function widenPanel(r0: usize, r1: usize, r2: usize, r3: usize, dst: usize, k: i32): void {
  for (let i = 0; i < k; i += 16) {
    const v0 = v128.load(r0 + i);
    const v1 = v128.load(r1 + i);
    const v2 = v128.load(r2 + i);
    const v3 = v128.load(r3 + i);
    const t01lo = i16x8.shuffle(v0, v1, 0, 8, 1, 9, 2, 10, 3, 11);
    const t01hi = i16x8.shuffle(v0, v1, 4, 12, 5, 13, 6, 14, 7, 15);
    const t23lo = i16x8.shuffle(v2, v3, 0, 8, 1, 9, 2, 10, 3, 11);
    const t23hi = i16x8.shuffle(v2, v3, 4, 12, 5, 13, 6, 14, 7, 15);
    const d = dst + (<usize>i << 3);
    let q = i32x4.shuffle(t01lo, t23lo, 0, 4, 1, 5); // pairs 0, 1 of the 4 rows
    v128.store(d, i16x8.extend_low_i8x16_s(q));
    v128.store(d, i16x8.extend_high_i8x16_s(q), 16);
    q = i32x4.shuffle(t01lo, t23lo, 2, 6, 3, 7);
    v128.store(d, i16x8.extend_low_i8x16_s(q), 32);
    v128.store(d, i16x8.extend_high_i8x16_s(q), 48);
    q = i32x4.shuffle(t01hi, t23hi, 0, 4, 1, 5);
    v128.store(d, i16x8.extend_low_i8x16_s(q), 64);
    v128.store(d, i16x8.extend_high_i8x16_s(q), 80);
    q = i32x4.shuffle(t01hi, t23hi, 2, 6, 3, 7);
    v128.store(d, i16x8.extend_low_i8x16_s(q), 96);
    v128.store(d, i16x8.extend_high_i8x16_s(q), 112);
  }
}

// round_half_even(acc·scale) as i32 lanes via f64 (see the header for when this is exact).
// @ts-ignore: decorator
@inline function roundF64(acc: v128, s01: v128, s23: v128, lo: v128, hi: v128, clamp: bool): v128 {
  let d0 = f64x2.mul(f64x2.convert_low_i32x4_s(acc), s01);
  let d1 = f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(acc, acc, 2, 3, 2, 3)), s23);
  if (clamp) {
    d0 = f64x2.pmin(f64x2.pmax(d0, lo), hi);
    d1 = f64x2.pmin(f64x2.pmax(d1, lo), hi);
  }
  const mg = f64x2.splat(MAGIC);
  return i32x4.shuffle(f64x2.add(d0, mg), f64x2.add(d1, mg), 0, 2, 4, 6);
}

// Two i64 lanes p + 2^63 (already in `bias`), rounded: see the header.
// @ts-ignore: decorator
@inline function rescale2(p: v128, shift: i32, bias: v128): v128 {
  const odd = v128.and(i64x2.shr_u(p, shift), i64x2.splat(1));
  return i64x2.shr_u(i64x2.add(i64x2.add(p, bias), odd), shift);
}

// @ts-ignore: decorator
@inline function roundI64(acc: v128, m: v128, shift: i32, bias: v128, off: v128): v128 {
  const lo = rescale2(i64x2.extmul_low_i32x4_s(acc, m), shift, bias);
  const hi = rescale2(i64x2.extmul_high_i32x4_s(acc, m), shift, bias);
  return i32x4.sub(i32x4.shuffle(lo, hi, 0, 2, 4, 6), off);
}

// Two rows of 8 int8 (low and high half of v) to c0 and c1, nr ≤ 8 columns.
// @ts-ignore: decorator
@inline function storeI8Rows(c0: usize, c1: usize, v: v128, nr: i32): void {
  if (nr == NR) {
    v128.store64_lane(c0, v, 0);
    v128.store64_lane(c1, v, 1);
    return;
  }
  if (nr & 4) {
    v128.store32_lane(c0, v, 0);
    v128.store32_lane(c1, v, 2);
    v = i64x2.shr_u(v, 32);
    c0 += 4;
    c1 += 4;
  }
  if (nr & 2) {
    v128.store16_lane(c0, v, 0);
    v128.store16_lane(c1, v, 4);
    v = i64x2.shr_u(v, 16);
    c0 += 2;
    c1 += 2;
  }
  if (nr & 1) {
    v128.store8_lane(c0, v, 0);
    v128.store8_lane(c1, v, 8);
  }
}

// One row of 8 int32 (v0: columns 0–3, v1: 4–7), nr ≤ 8 columns.
// @ts-ignore: decorator
@inline function storeI32Row(c0: usize, v0: v128, v1: v128, nr: i32): void {
  if (nr == NR) {
    v128.store(c0, v0);
    v128.store(c0, v1, 16);
    return;
  }
  if (nr & 4) {
    v128.store(c0, v0);
    v0 = v1;
    c0 += 16;
  }
  if (nr & 2) {
    v128.store64_lane(c0, v0, 0);
    v0 = i64x2.shuffle(v0, v0, 1, 1);
    c0 += 8;
  }
  if (nr & 1) v128.store32_lane(c0, v0, 0);
}

// The macro-kernel: for each 4-row panel, widen it, then run every 8-column block over it.
// `mode` is a compile-time constant at every call site, so each mode is its own loop nest.
// @ts-ignore: decorator
@inline function gemmPanels(
  m: i32, n: i32, k: i32, a: usize, lda: i32, w: usize, c: usize, ldcBytes: i32,
  shift: i32, zo: i32, qmin: i32, qmax: i32, scratch: usize, mode: i32,
): void {
  const kp = (k + 1) & ~1;
  const nb = (n + NR - 1) >> 3;
  const bb = packedBlockBytes(kp);
  const panel = scratch + (<usize>nb << 7);
  const panelEnd = panel + (<usize>(kp >> 1) << 4);
  const lo = f64x2.splat(<f64>(qmin - zo));
  const hi = f64x2.splat(<f64>(qmax - zo));
  const vzo = i16x8.splat(<i16>zo);
  const vqmin = i8x16.splat(<i8>qmin);
  const vqmax = i8x16.splat(<i8>qmax);
  const rbias = i64x2.splat((<i64>1 << (shift - 1)) - 1 + (<i64>1 << 63));
  const roff = i32x4.splat(<i32>(<i64>1 << (63 - shift)));
  for (let i = 0; i < m; i += 4) {
    const mr = min(4, m - i);
    // Rows past m alias the last valid row: they compute and store the same values.
    const a0 = a + <usize>i * lda;
    const a1 = mr > 1 ? a0 + lda : a0;
    const a2 = mr > 2 ? a1 + lda : a1;
    const a3 = mr > 3 ? a2 + lda : a2;
    widenPanel(a0, a1, a2, a3, panel, k);
    const c0 = c + <usize>i * ldcBytes;
    const c1 = mr > 1 ? c0 + ldcBytes : c0;
    const c2 = mr > 2 ? c1 + ldcBytes : c1;
    const c3 = mr > 3 ? c2 + ldcBytes : c2;
    for (let j = 0; j < nb; j++) {
      const d = scratch + (<usize>j << 7);
      let wp = w + <usize>j * bb + 64;
      // Accumulators start at bias − za·colsum: the zero-point fold costs nothing per k.
      let x00 = v128.load(d);
      let x01 = v128.load(d, 16);
      let x10 = x00, x11 = x01, x20 = x00, x21 = x01, x30 = x00, x31 = x01;
      // No manual unrolling: V8 unrolls this loop itself, and a hand-unrolled body spills.
      for (let pa = panel; pa < panelEnd; pa += 16) {
        const b0 = v128.load(wp);
        const b1 = v128.load(wp, 16);
        let va = v128.load32_splat(pa);
        x00 = i32x4.add(x00, i32x4.dot_i16x8_s(va, b0));
        x01 = i32x4.add(x01, i32x4.dot_i16x8_s(va, b1));
        va = v128.load32_splat(pa, 4);
        x10 = i32x4.add(x10, i32x4.dot_i16x8_s(va, b0));
        x11 = i32x4.add(x11, i32x4.dot_i16x8_s(va, b1));
        va = v128.load32_splat(pa, 8);
        x20 = i32x4.add(x20, i32x4.dot_i16x8_s(va, b0));
        x21 = i32x4.add(x21, i32x4.dot_i16x8_s(va, b1));
        va = v128.load32_splat(pa, 12);
        x30 = i32x4.add(x30, i32x4.dot_i16x8_s(va, b0));
        x31 = i32x4.add(x31, i32x4.dot_i16x8_s(va, b1));
        wp += 32;
      }
      const nr = min(NR, n - (j << 3));
      if (mode == MODE_F32) {
        const s0 = v128.load(d, 32);
        const s1 = v128.load(d, 48);
        const o = <usize>(j << 5);
        storeI32Row(c3 + o, f32x4.mul(f32x4.convert_i32x4_s(x30), s0), f32x4.mul(f32x4.convert_i32x4_s(x31), s1), nr);
        storeI32Row(c2 + o, f32x4.mul(f32x4.convert_i32x4_s(x20), s0), f32x4.mul(f32x4.convert_i32x4_s(x21), s1), nr);
        storeI32Row(c1 + o, f32x4.mul(f32x4.convert_i32x4_s(x10), s0), f32x4.mul(f32x4.convert_i32x4_s(x11), s1), nr);
        storeI32Row(c0 + o, f32x4.mul(f32x4.convert_i32x4_s(x00), s0), f32x4.mul(f32x4.convert_i32x4_s(x01), s1), nr);
        continue;
      }
      if (mode == MODE_I32) {
        const o = <usize>(j << 5);
        storeI32Row(c3 + o, x30, x31, nr);
        storeI32Row(c2 + o, x20, x21, nr);
        storeI32Row(c1 + o, x10, x11, nr);
        storeI32Row(c0 + o, x00, x01, nr);
        continue;
      }
      // Requantize: rows as i16x8 (saturated), + zo, two rows per i8x16, clamp.
      let r0: v128, r1: v128, r2: v128, r3: v128;
      if (mode == MODE_I64) {
        const m0 = v128.load(d, 32);
        const m1 = v128.load(d, 48);
        r0 = i16x8.narrow_i32x4_s(roundI64(x00, m0, shift, rbias, roff), roundI64(x01, m1, shift, rbias, roff));
        r1 = i16x8.narrow_i32x4_s(roundI64(x10, m0, shift, rbias, roff), roundI64(x11, m1, shift, rbias, roff));
        r2 = i16x8.narrow_i32x4_s(roundI64(x20, m0, shift, rbias, roff), roundI64(x21, m1, shift, rbias, roff));
        r3 = i16x8.narrow_i32x4_s(roundI64(x30, m0, shift, rbias, roff), roundI64(x31, m1, shift, rbias, roff));
      } else {
        const cl = mode == MODE_F64_CLAMP;
        const s0 = v128.load(d, 64);
        const s1 = v128.load(d, 80);
        const s2 = v128.load(d, 96);
        const s3 = v128.load(d, 112);
        r0 = i16x8.narrow_i32x4_s(roundF64(x00, s0, s1, lo, hi, cl), roundF64(x01, s2, s3, lo, hi, cl));
        r1 = i16x8.narrow_i32x4_s(roundF64(x10, s0, s1, lo, hi, cl), roundF64(x11, s2, s3, lo, hi, cl));
        r2 = i16x8.narrow_i32x4_s(roundF64(x20, s0, s1, lo, hi, cl), roundF64(x21, s2, s3, lo, hi, cl));
        r3 = i16x8.narrow_i32x4_s(roundF64(x30, s0, s1, lo, hi, cl), roundF64(x31, s2, s3, lo, hi, cl));
      }
      let q01 = i8x16.narrow_i16x8_s(i16x8.add_sat_s(r0, vzo), i16x8.add_sat_s(r1, vzo));
      let q23 = i8x16.narrow_i16x8_s(i16x8.add_sat_s(r2, vzo), i16x8.add_sat_s(r3, vzo));
      q01 = i8x16.min_s(i8x16.max_s(q01, vqmin), vqmax);
      q23 = i8x16.min_s(i8x16.max_s(q23, vqmin), vqmax);
      const o = <usize>(j << 3);
      storeI8Rows(c2 + o, c3 + o, q23, nr);
      storeI8Rows(c0 + o, c1 + o, q01, nr);
    }
  }
}

export function gemm_i8_4x8c2__simd(
  m: i32, n: i32, k: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32,
  za: i32, mults: usize, shift: i32, zo: i32, qmin: i32, qmax: i32, scratch: usize,
): void {
  assert(m >= 0 && n >= 1 && k >= 1 && k < MAX_K && lda >= k && ldc >= n);
  assert(za >= -128 && za <= 127 && zo >= -128 && zo <= 127);
  assert(qmin >= -128 && qmin <= qmax && qmax <= 127 && shift >= 1 && shift <= 62);
  assert(mults != 0 && packed != 0 && scratch != 0);
  if (m == 0) return;
  prepareColumns(n, k, packed, za, mults, shift, scratch);
  if (shift > 45) gemmPanels(m, n, k, a, lda, packed, c, ldc, shift, zo, qmin, qmax, scratch, MODE_I64);
  else if (shift >= 31) gemmPanels(m, n, k, a, lda, packed, c, ldc, shift, zo, qmin, qmax, scratch, MODE_F64);
  else gemmPanels(m, n, k, a, lda, packed, c, ldc, shift, zo, qmin, qmax, scratch, MODE_F64_CLAMP);
}

export function gemm_i8_i32_4x8c2__simd(
  m: i32, n: i32, k: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32, za: i32, scratch: usize,
): void {
  assert(m >= 0 && n >= 1 && k >= 1 && k < MAX_K && lda >= k && ldc >= n);
  assert(za >= -128 && za <= 127 && packed != 0 && scratch != 0);
  if (m == 0) return;
  prepareColumns(n, k, packed, za, 0, 1, scratch);
  gemmPanels(m, n, k, a, lda, packed, c, ldc << 2, 1, 0, 0, 0, scratch, MODE_I32);
}

export function gemm_i8_f32_4x8c2__simd(
  m: i32, n: i32, k: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32, za: i32, scales: usize,
  scratch: usize,
): void {
  assert(m >= 0 && n >= 1 && k >= 1 && k < MAX_K && lda >= k && ldc >= n);
  assert(za >= -128 && za <= 127 && packed != 0 && scales != 0 && scratch != 0);
  if (m == 0) return;
  prepareColumns(n, k, packed, za, 0, 1, scratch);
  // Per 8-column block, the f32 scales go where the requantizing variants keep their multipliers.
  const nb = (n + NR - 1) >> 3;
  for (let j = 0; j < nb; j++) {
    for (let cc = 0; cc < NR; cc++) {
      const col = (j << 3) + cc;
      store<f32>(scratch + (<usize>j << 7) + 32 + (<usize>cc << 2), col < n ? load<f32>(scales + (<usize>col << 2)) : 0);
    }
  }
  gemmPanels(m, n, k, a, lda, packed, c, ldc << 2, 1, 0, 0, 0, scratch, MODE_F32);
}
