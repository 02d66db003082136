// families/im2colI8.ts — manifest entries and the typed wrapper for assembly/im2col_i8/: im2col of an
// int8 NHWC image, padding with a given byte (the input's zero point). The runtime's INT8 convolutions
// (patch embeds, spatial-reduction convs) quantize the image once and gather int8 patches, instead of
// gathering f32 patches and quantizing each of the kH·kW/stride² copies of every value.
import { type ConvGeomF32, checkConvGeom } from '../checks.js';
import { expectBuf, expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';
import { im2colLength } from './im2colF32.js';

export const im2colI8Kernels: KernelInfo[] = (['scalar', 'simd128'] as const).map((isa) => ({
  name: `im2col_i8__${isa === 'simd128' ? 'simd' : 'scalar'}`,
  family: 'im2col_i8',
  op: 'im2col_i8',
  isa,
  summary: 'cols[b·oh·ow, kh·kw·c] = NHWC patches of an int8 x, padValue outside it',
}));

/**
 * cols [batch·outH·outW, kH·kW·inC] (i8) = the patches of x [batch, inH, inW, inC] (i8), `padValue`
 * (−128…127; the input's zero point) where a tap is outside x. The same bytes as im2colF32 of the
 * dequantized image followed by quantization, when padValue is what 0.0 quantizes to.
 */
export function im2colI8(
  k: Kernels,
  x: KBuf,
  cols: KBuf,
  g: ConvGeomF32,
  o: { padValue: number; isa?: Isa },
): void {
  const op = 'im2col_i8';
  checkConvGeom(op, g);
  expectInt(op, 'padValue', o.padValue, -128, 127);
  const rowLen = g.kH * g.kW * g.inC;
  if (rowLen > 2 ** 30) {
    throw new Error(`${op}: a cols row is too long. Expected kH·kW·inC < 2^30 bytes, got ${rowLen}.`);
  }
  const nx = g.batch * g.inH * g.inW * g.inC;
  const nc = im2colLength(g);
  expectBuf(op, 'x', x, 'i8', nx, `batch·inH·inW·inC = ${g.batch}·${g.inH}·${g.inW}·${g.inC}`);
  expectBuf(op, 'cols', cols, 'i8', nc, `batch·outH·outW·kH·kW·inC = ${nc}`);
  if (cols.arena !== x.arena) {
    throw new Error(
      `${op}: cols lives in a different kernel memory than x. Expected both from the same Kernels.`,
    );
  }
  if (nx > 0 && nc > 0 && cols.ptr < x.ptr + nx && x.ptr < cols.ptr + nc) {
    throw new Error(
      `${op}: cols overlaps x. Expected separate memory, got x at bytes [${x.ptr}, ${x.ptr + nx}) and cols at [${cols.ptr}, ${cols.ptr + nc}).`,
    );
  }
  k.fn(k.pick(op, o.isa))(
    x.ptr,
    cols.ptr,
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.kH,
    g.kW,
    g.stride,
    g.pad,
    g.dilation,
    g.outH,
    g.outW,
    o.padValue,
  );
}
