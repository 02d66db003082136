// check.ts — the preconditions every im2col_f32-family export asserts (not an entry point). Checked
// only in builds with assertions (debug), where a violation traps with `unreachable`.
import { checkBuf, checkGeom, disjoint, f32Bytes } from '../conv_geom';

// x [batch, inH, inW, c] and cols [batch·outH·outW, kH·kW·c] inside the memory, not overlapping.
// @ts-ignore: decorator
@inline export function checkIm2col(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  if (ASC_NO_ASSERT) return;
  checkGeom(batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(<i64>kH * <i64>kW * <i64>c < 0x20000000); // a cols row's bytes fit in i32
  const xb = f32Bytes(batch, inH, inW, c);
  const cb = f32Bytes(batch, outH, outW, 1) * <u64>kH * <u64>kW * <u64>c;
  checkBuf(x, xb);
  checkBuf(cols, cb);
  assert(disjoint(x, xb, cols, cb));
}
