// taps.ts — the source taps of bilinear resizing with align_corners = false (not an entry point),
// and the preconditions of the resize_f32 exports.
//
// PyTorch's area_pixel_compute_source_index: src = max(0, (o + 0.5)·in/out − 0.5), i0 = ⌊src⌋ (at
// most in − 1), i1 = min(i0 + 1, in − 1), weight of i1 = src − i0. Computed in f64 with exactly the
// operations of ArrayBackend.taps, so every kernel picks the same pixels and the same weight (then
// rounded once to f32) as the reference.
import { checkBuf, disjoint, f32Bytes } from '../conv_geom';

// The source coordinate of output o.
// @ts-ignore: decorator
@inline export function tapSrc(o: i32, scale: f64): f64 {
  return max(0.0, (<f64>o + 0.5) * scale - 0.5);
}

// i0 = ⌊src⌋, at most inSize − 1.
// @ts-ignore: decorator
@inline export function tapI0(src: f64, inSize: i32): i32 {
  return min(<i32>Math.floor(src), inSize - 1);
}

// x [batch, inH, inW, c] and y [batch, outH, outW, c] inside the memory and disjoint; sizes ≥ 0,
// and an empty input only with an empty output. Checked only in builds with assertions (debug).
// @ts-ignore: decorator
@inline export function checkResize(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, outH: i32, outW: i32, c: i32,
): void {
  if (ASC_NO_ASSERT) return;
  assert(batch >= 0 && inH >= 0 && inW >= 0 && outH >= 0 && outW >= 0 && c >= 0);
  assert((inH > 0 && inW > 0) || <i64>outH * <i64>outW == 0);
  assert(<i64>inW * <i64>c < 0x20000000 && <i64>outW * <i64>c < 0x20000000);
  const xb = f32Bytes(batch, inH, inW, c);
  const yb = f32Bytes(batch, outH, outW, c);
  checkBuf(x, xb);
  checkBuf(y, yb);
  assert(disjoint(x, xb, y, yb));
}
