// im2col_f32_simd.ts — im2col and its adjoint col2im for NHWC images, f32, WASM SIMD128.
//
// im2col_f32: cols[(b·outH + oy)·outW + ox][(ky·kW + kx)·c + ch] = x[b, oy·s−p+ky·d, ox·s−p+kx·d, ch],
//             0 where the tap is outside x (zero padding). Every element of cols is written.
// col2im_f32: dx[b, iy, ix, ch] += every cols element im2col would have copied from there
//             (accumulates; cols elements of taps outside x are ignored).
// Layout: x / dx [batch, inH, inW, c]; cols [batch·outH·outW, kH·kW·c] row-major, the GEMM operand
//   of a conv with weights [kH·kW·c, cout]. outH, outW are taken as given.
// The loop nest and the copies are in walk.ts (shared with the scalar file and im2col_i8): 64 bytes
//   per step, then 16, then 8, then bytes; col2im's adds 16 floats per step, then 4, then lane stores
//   whose loads may read up to 12 bytes past dx or cols (the arena's 16 tail bytes).
// Numerics: im2col copies bits. col2im adds in the reference's order (rows, then taps in (ky, kx)
//   order), one f32 addition per contribution: the same operations as the scalar file, same bits.
// Twin: kernels/ref/im2col_f32.ts (ArrayBackend.im2col / col2im).
import { checkIm2col } from './check';
import { walk } from './walk';

export function im2col_f32__simd(
  x: usize, cols: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk<f32, v128>(x, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, 0, false);
}

export function col2im_f32__simd(
  cols: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  checkIm2col(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  walk<f32, v128>(dx, cols, batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW, 0, true);
}
