// im2col_i8_scalar.ts — im2col of an int8 NHWC image, scalar (hosts without SIMD): the contract of
// im2col_i8_simd.ts, whose header it shares; 8 bytes a step (u64), no SIMD instruction.
// Twin: kernels/ref/im2col_f32.ts (im2colI8).
import { walk } from '../im2col_f32/walk';
import { checkIm2colI8 } from './check';

export function im2col_i8__scalar(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32, padValue: i32,
): void {
  checkIm2colI8(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, padValue);
  walk<i8, u64>(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, padValue, false);
}
