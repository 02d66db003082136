// im2col_i8_simd.ts — im2col of an int8 NHWC image, WASM SIMD128.
//
// im2col_i8: cols[(b·outH + oy)·outW + ox][(ky·kW + kx)·c + ch] = x[b, oy·s−p+ky·d, ox·s−p+kx·d, ch],
//            padValue where the tap is outside x. Every byte of cols is written.
// Why: an INT8 convolution quantizes its input before the GEMM. Quantizing the image and then
//   gathering its patches (with the input's zero point as the padding, which is what 0.0 quantizes
//   to) gives the same bytes as gathering f32 patches and quantizing them, with kH·kW/stride² fewer
//   values to quantize (×3 for SegFormer's 7×7/4 patch embed, ×2.25 for its 3×3/2 ones) and a
//   quarter of the bytes to write.
// Layout and walk as im2col_f32 (loop nest in ../im2col_f32/walk.ts, shared with im2col_f32): with dilation 1 the kW taps of a kernel row are
//   kW·c consecutive bytes in x and in cols — one copy, split into fill | copy | fill at the border.
//   Copies move 16 bytes per step, then the last 0–15 one by one; nothing is read or written past x or
//   cols.
// Twin: kernels/ref/im2col_f32.ts (im2colI8) — the same bytes.
import { walk } from '../im2col_f32/walk';
import { checkIm2colI8 } from './check';

export function im2col_i8__simd(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32, padValue: i32,
): void {
  checkIm2colI8(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, padValue);
  walk<i8, v128>(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, padValue, false);
}
