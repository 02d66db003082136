// gemm_f32_vec.ts — partial-vector loads and stores shared by the simd128 and relaxed gemm_f32 files
// (edge tiles: a row of C, a bias slice or a B row with fewer than 4 valid floats left).

/** Loads min(cnt, 4) floats into the low lanes (none for cnt ≤ 0), zeros above; reads nothing past them. */
// @ts-ignore: decorator
@inline export function loadPart(p: usize, cnt: i32): v128 {
  if (cnt >= 4) return v128.load(p);
  if (cnt <= 0) return f32x4.splat(0);
  let v = v128.load32_zero(p);
  if (cnt >= 2) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (cnt >= 3) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the low min(cnt, 4) lanes of v (none for cnt ≤ 0). */
// @ts-ignore: decorator
@inline export function storePart(p: usize, v: v128, cnt: i32): void {
  if (cnt >= 4) {
    v128.store(p, v);
    return;
  }
  if (cnt >= 1) v128.store32_lane(p, v, 0);
  if (cnt >= 2) v128.store32_lane(p, v, 1, 4);
  if (cnt >= 3) v128.store32_lane(p, v, 2, 8);
}

/**
 * Copies rows [0, kc) × columns [0, nb) of a row-major B (row stride ldbBytes) into ⌈nb/8⌉ panels
 * [kc][8] at dst (panel p at dst + p·kc·32), columns past nb zero. Walks B row by row, so the reads
 * are one sequential stream (a B that comes from memory arrives at copy speed, not at the pace of
 * the multiply loop); reads nothing past a row's nb columns.
 */
export function packBBlock(kc: i32, nb: i32, b: usize, ldbBytes: usize, dst: usize): void {
  const full = nb >> 3;
  const rest = nb & 7;
  const panelBytes = <usize>kc << 5;
  let src = b;
  let d = dst;
  const dEnd = dst + panelBytes;
  while (d < dEnd) {
    let s = src;
    let q = d;
    for (let p = 0; p < full; p++) {
      v128.store(q, v128.load(s));
      v128.store(q, v128.load(s, 16), 16);
      s += 32;
      q += panelBytes;
    }
    if (rest) {
      v128.store(q, loadPart(s, rest));
      v128.store(q, loadPart(s + 16, rest - 4), 16);
    }
    src += ldbBytes;
    d += 32;
  }
}
