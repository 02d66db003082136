// taps.ts — the source taps of bilinear resizing with align_corners = false (not an entry point),
// and the preconditions of the resize_f32 exports.
//
// PyTorch's area_pixel_compute_source_index: src = max(0, (o + 0.5)·in/out − 0.5), i0 = ⌊src⌋ (at
// most in − 1), i1 = min(i0 + 1, in − 1), weight of i1 = src − i0. Computed in f64 with exactly the
// operations of ArrayBackend.taps, so every kernel picks the same pixels and the same weight (then
// rounded once to f32) as the reference.
//
// The column taps are the same for every output row: colTaps() writes them once per call into the
// caller's scratch, 16 bytes per output column — byte offset of x0 in a row (u32), of x1 (u32), and
// the weight of x1 (f64) — so the per-pixel work is 3 loads instead of a floor and a conversion.
import { checkBuf, disjoint, f32Bytes } from '../conv_geom';

// Bytes of scratch per output column.
// @ts-ignore: decorator
@inline export const TAP_BYTES: usize = 16;

// The source coordinate of output o: max(0, (o + 0.5)·scale − 0.5). A compare, not f64.max (which V8
// expands into a NaN- and signed-zero-aware sequence); the same value here (t is never NaN, and
// t = −0 gives +0 either way).
// @ts-ignore: decorator
@inline export function tapSrc(o: i32, scale: f64): f64 {
  const t = (<f64>o + 0.5) * scale - 0.5;
  return t > 0 ? t : 0;
}

// i0 = ⌊src⌋, at most inSize − 1.
// @ts-ignore: decorator
@inline export function tapI0(src: f64, inSize: i32): i32 {
  return min(<i32>Math.floor(src), inSize - 1);
}

// Column taps of every output column into scratch (see the header); cB = bytes of one pixel.
// @ts-ignore: decorator
@inline export function colTaps(scratch: usize, inW: i32, outW: i32, cB: usize): void {
  const sx = <f64>inW / <f64>outW;
  for (let ox = 0; ox < outW; ox++) {
    const fx = tapSrc(ox, sx);
    const x0 = tapI0(fx, inW);
    const x1 = min(x0 + 1, inW - 1);
    const t = scratch + <usize>ox * TAP_BYTES;
    store<u32>(t, <u32>(<usize>x0 * cB));
    store<u32>(t, <u32>(<usize>x1 * cB), 4);
    store<f64>(t, fx - <f64>x0, 8);
  }
}

// x [batch, inH, inW, c] and y [batch, outH, outW, c] inside the memory and disjoint; sizes ≥ 0,
// and an empty input only with an empty output; scratch (16·outW bytes, 8-byte aligned) disjoint
// from both. Checked only in builds with assertions (debug).
// @ts-ignore: decorator
@inline export function checkResize(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
): void {
  if (ASC_NO_ASSERT) return;
  assert(batch >= 0 && inH >= 0 && inW >= 0 && outH >= 0 && outW >= 0 && c >= 0);
  assert((inH > 0 && inW > 0) || <i64>outH * <i64>outW == 0);
  assert(<i64>inW * <i64>c < 0x20000000 && <i64>outW * <i64>c < 0x20000000);
  const xb = f32Bytes(batch, inH, inW, c);
  const yb = f32Bytes(batch, outH, outW, c);
  const sb = <u64>outW * <u64>TAP_BYTES;
  checkBuf(x, xb);
  checkBuf(y, yb);
  assert((scratch & 7) == 0 && (<u64>scratch + sb <= (<u64>memory.size() << 16)));
  assert(disjoint(x, xb, y, yb) && disjoint(scratch, sb, x, xb) && disjoint(scratch, sb, y, yb));
}

// resize_bilinear_argmax_f32: x as in checkResize, y one byte per output pixel, 1 ≤ c ≤ 256 (class
// ids fit a byte), scratch (16·outW bytes, 8-byte aligned) disjoint from both. Debug builds only.
// checkResize's conditions, and 0 ≤ rowLo ≤ rowHi ≤ outH (resize_bilinear_add_f32's row range).
// @ts-ignore: decorator
@inline export function checkResizeAdd(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
  rowLo: i32, rowHi: i32,
): void {
  if (ASC_NO_ASSERT) return;
  checkResize(x, y, batch, inH, inW, outH, outW, c, scratch);
  assert(rowLo >= 0 && rowLo <= rowHi && rowHi <= outH);
}

// @ts-ignore: decorator
@inline export function checkResizeArgmax(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32, scratch: usize,
): void {
  if (ASC_NO_ASSERT) return;
  assert(batch >= 0 && inH >= 0 && inW >= 0 && outH >= 0 && outW >= 0 && c >= 1 && c <= 256);
  assert((inH > 0 && inW > 0) || <i64>outH * <i64>outW == 0);
  assert(<i64>inW * <i64>c < 0x20000000);
  const xb = f32Bytes(batch, inH, inW, c);
  const yb = <u64>batch * <u64>outH * <u64>outW;
  const sb = <u64>outW * <u64>TAP_BYTES;
  checkBuf(x, xb);
  assert(<u64>y + yb <= (<u64>memory.size() << 16));
  assert((scratch & 7) == 0 && (<u64>scratch + sb <= (<u64>memory.size() << 16)));
  assert(disjoint(x, xb, y, yb) && disjoint(scratch, sb, x, xb) && disjoint(scratch, sb, y, yb));
}
