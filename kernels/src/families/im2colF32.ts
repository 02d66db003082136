// families/im2colF32.ts — manifest entries and typed wrappers for assembly/im2col_f32/: im2col and
// its accumulating adjoint col2im in NHWC, with the semantics of autograd's ArrayBackend.im2col /
// col2im. They turn a dense conv into a GEMM: SegFormer's overlapping patch embeds (k7 s4 p3,
// k3 s2 p1) and the non-overlapping spatial-reduction conv (k = s = 8/4/2).
import { type BufArg, type ConvGeomF32, checkBufs, checkConvGeom, nhwc } from '../checks.js';
import type { KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const SUMMARY = {
  im2col_f32: 'cols[b·oh·ow, kh·kw·c] = NHWC patches of x (zero padding), any stride/pad/dilation',
  col2im_f32: 'dx (NHWC) += the adjoint of im2col applied to cols',
};

export const im2colF32Kernels: KernelInfo[] = (Object.keys(SUMMARY) as (keyof typeof SUMMARY)[]).flatMap(
  (op) =>
    (['scalar', 'simd128'] as const).map((isa) => ({
      name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
      family: 'im2col_f32',
      op,
      isa,
      summary: SUMMARY[op],
    })),
);

/** Elements of the cols matrix of a geometry: batch·outH·outW rows of kH·kW·inC. */
export function im2colLength(g: ConvGeomF32): number {
  return g.batch * g.outH * g.outW * g.kH * g.kW * g.inC;
}

function geomArgs(g: ConvGeomF32): number[] {
  return [g.batch, g.inH, g.inW, g.inC, g.kH, g.kW, g.stride, g.pad, g.dilation, g.outH, g.outW];
}

function args(g: ConvGeomF32, x: KBuf, xName: string, cols: KBuf): [BufArg, BufArg] {
  const rowLen = g.kH * g.kW * g.inC;
  if (rowLen * 4 > 2 ** 31 - 1) {
    throw new Error(
      `im2col_f32: a cols row is too long. Expected kH·kW·inC·4 < 2^31 bytes, got ${rowLen * 4}.`,
    );
  }
  return [
    {
      name: xName,
      buf: x,
      length: nhwc(g.batch, g.inH, g.inW, g.inC),
      why: `batch·inH·inW·inC = ${g.batch}·${g.inH}·${g.inW}·${g.inC}`,
    },
    {
      name: 'cols',
      buf: cols,
      length: im2colLength(g),
      why: `batch·outH·outW·kH·kW·inC = ${g.batch}·${g.outH}·${g.outW}·${g.kH}·${g.kW}·${g.inC}`,
    },
  ];
}

/** cols [batch·outH·outW, kH·kW·inC] = the patches of x [batch, inH, inW, inC] (0 outside x). */
export function im2colF32(k: Kernels, x: KBuf, cols: KBuf, g: ConvGeomF32, o: { isa?: Isa } = {}): void {
  const op = 'im2col_f32';
  checkConvGeom(op, g);
  const [xa, ca] = args(g, x, 'x', cols);
  checkBufs(op, [xa], [ca]);
  k.fn(k.pick(op, o.isa))(x.ptr, cols.ptr, ...geomArgs(g));
}

/** dx [batch, inH, inW, inC] += the adjoint of im2col applied to cols (padding taps dropped). */
export function col2imF32(k: Kernels, cols: KBuf, dx: KBuf, g: ConvGeomF32, o: { isa?: Isa } = {}): void {
  const op = 'col2im_f32';
  checkConvGeom(op, g);
  const [xa, ca] = args(g, dx, 'dx', cols);
  checkBufs(op, [ca], [xa]);
  k.fn(k.pick(op, o.isa))(cols.ptr, dx.ptr, ...geomArgs(g));
}
