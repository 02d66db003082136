// im2col_f32_scalar.ts — im2col and its adjoint col2im for NHWC images, f32, scalar (hosts without
// SIMD). Operations, layout and argument meaning: as in im2col_f32_simd.ts, whose header is the
// contract of both files; the same walk (walk.ts) with 8-byte copies and element-wise adds in place of
// vector ones. Reads and writes exactly the elements of the buffers.
// Numerics: im2col copies bits; col2im adds in the same order as the SIMD file: the same bits.
// Twin: kernels/ref/im2col_f32.ts.
import { checkIm2col } from './check';
import { walk } from './walk';

export function im2col_f32__scalar(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk<f32, u64>(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, 0, false);
}

export function col2im_f32__scalar(
  cols: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk<f32, u64>(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, 0, true);
}
