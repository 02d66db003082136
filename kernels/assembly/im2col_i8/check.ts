// check.ts — the preconditions im2col_i8 asserts (not an entry point); checked only in builds with
// assertions (debug), where a violation traps with `unreachable`.
import { checkGeom, disjoint, inMemory } from '../conv_geom';

// x [batch, inH, inW, c] and cols [batch·outH·outW, kH·kW·c], bytes, inside the memory and disjoint.
// @ts-ignore: decorator
@inline export function checkIm2colI8(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32, padValue: i32,
): void {
  if (ASC_NO_ASSERT) return;
  checkGeom(batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  assert(<i64>kH * <i64>kW * <i64>c < 0x40000000);
  assert(padValue >= -128 && padValue <= 127);
  const xb = <u64>batch * <u64>inH * <u64>inW * <u64>c;
  const cb = <u64>batch * <u64>outH * <u64>outW * <u64>kH * <u64>kW * <u64>c;
  assert(inMemory(x, xb) && inMemory(cols, cb));
  assert(disjoint(x, xb, cols, cb));
}
