// families/dwconvF32.ts — manifest entries and typed wrappers for assembly/dwconv_f32/: depthwise
// conv NHWC (weights [kH, kW, C], optional bias [C]) forward and accumulating backward, with the
// semantics of autograd's ArrayBackend.dwconv / dwconvGrad. The wrappers pick the 3×3 stride-1
// kernels (SegFormer's Mix-FFN) whenever the geometry allows, the general ones otherwise.
import { type BufArg, type ConvGeomF32, checkBufs, checkConvGeom, geomString, nhwc } from '../checks.js';
import type { KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

export type DwconvOp = 'dwconv_f32' | 'dwconv_f32_3x3s1';
export type DwconvGradOp = 'dwconv_grad_f32' | 'dwconv_grad_f32_3x3s1';

const SUMMARY: Record<DwconvOp | DwconvGradOp, string> = {
  dwconv_f32: 'depthwise conv NHWC, any kernel/stride/pad/dilation, optional bias',
  dwconv_f32_3x3s1: 'depthwise conv NHWC 3×3 stride 1 (any pad), 4-pixel register tile',
  dwconv_grad_f32: 'depthwise conv backward: dx (optional), dw, db (optional) accumulated',
  dwconv_grad_f32_3x3s1: 'depthwise conv 3×3 s1 backward: dx as a flipped-kernel conv, dw, db accumulated',
};

export const dwconvF32Kernels: KernelInfo[] = (Object.keys(SUMMARY) as (DwconvOp | DwconvGradOp)[]).flatMap(
  (op) =>
    (['scalar', 'simd128'] as const).map((isa) => ({
      name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
      family: 'dwconv_f32',
      op,
      isa,
      summary: SUMMARY[op],
    })),
);

export interface DwconvOptions {
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
  /**
   * Force the general kernel or the 3×3 s1 one (which throws unless kH = kW = 3, stride = 1,
   * dilation = 1). Default: 3×3 s1 when the geometry allows.
   */
  variant?: 'general' | '3x3s1';
}

function is3x3s1(g: ConvGeomF32): boolean {
  return g.kH === 3 && g.kW === 3 && g.stride === 1 && g.dilation === 1;
}

function useFast(op: string, g: ConvGeomF32, o: DwconvOptions): boolean {
  if (o.variant === '3x3s1' && !is3x3s1(g)) {
    throw new Error(
      `${op}: the 3×3 s1 kernel was asked for a different geometry (${geomString(g)}). Expected kH = kW = 3, ` +
        'stride = 1, dilation = 1.',
    );
  }
  return o.variant === undefined ? is3x3s1(g) : o.variant === '3x3s1';
}

function geomArgs(g: ConvGeomF32): number[] {
  return [g.batch, g.inH, g.inW, g.inC, g.kH, g.kW, g.stride, g.pad, g.dilation, g.outH, g.outW];
}

function bufs(g: ConvGeomF32) {
  const C = g.inC;
  return {
    x: (buf: KBuf | null, name = 'x'): BufArg => ({
      name,
      buf,
      length: nhwc(g.batch, g.inH, g.inW, C),
      why: `batch·inH·inW·inC = ${g.batch}·${g.inH}·${g.inW}·${C}`,
    }),
    y: (buf: KBuf | null, name = 'y'): BufArg => ({
      name,
      buf,
      length: nhwc(g.batch, g.outH, g.outW, C),
      why: `batch·outH·outW·inC = ${g.batch}·${g.outH}·${g.outW}·${C}`,
    }),
    w: (buf: KBuf | null, name = 'w'): BufArg => ({
      name,
      buf,
      length: g.kH * g.kW * C,
      why: `kH·kW·inC = ${g.kH}·${g.kW}·${C}`,
    }),
    c: (buf: KBuf | null, name: string): BufArg => ({ name, buf, length: C, why: `inC = ${C}` }),
  };
}

/**
 * y [batch, outH, outW, C] = bias + depthwise conv of x [batch, inH, inW, C] with w [kH, kW, C]
 * (taps outside x skipped: zero padding). `bias` null = none. y must not overlap an input.
 */
export function dwconvF32(
  k: Kernels,
  x: KBuf,
  w: KBuf,
  bias: KBuf | null,
  y: KBuf,
  g: ConvGeomF32,
  o: DwconvOptions = {},
): void {
  const op = 'dwconv_f32';
  checkConvGeom(op, g);
  const b = bufs(g);
  checkBufs(op, [b.x(x), b.w(w), b.c(bias, 'bias')], [b.y(y)]);
  const name: DwconvOp = useFast(op, g, o) ? 'dwconv_f32_3x3s1' : 'dwconv_f32';
  k.fn(k.pick(name, o.isa))(x.ptr, w.ptr, bias ? bias.ptr : 0, y.ptr, ...geomArgs(g));
}

/**
 * The backward of dwconvF32, accumulating: dx += ∂/∂x (dx null = not wanted), dw += ∂/∂w,
 * db += Σ dy (db null = no bias). Outputs must not overlap the inputs or each other.
 */
export function dwconvGradF32(
  k: Kernels,
  x: KBuf,
  w: KBuf,
  dy: KBuf,
  dx: KBuf | null,
  dw: KBuf,
  db: KBuf | null,
  g: ConvGeomF32,
  o: DwconvOptions = {},
): void {
  const op = 'dwconv_grad_f32';
  checkConvGeom(op, g);
  const b = bufs(g);
  checkBufs(op, [b.x(x), b.w(w), b.y(dy, 'dy')], [b.x(dx, 'dx'), b.w(dw, 'dw'), b.c(db, 'db')]);
  const name: DwconvGradOp = useFast(op, g, o) ? 'dwconv_grad_f32_3x3s1' : 'dwconv_grad_f32';
  k.fn(k.pick(name, o.isa))(x.ptr, w.ptr, dy.ptr, dx ? dx.ptr : 0, dw.ptr, db ? db.ptr : 0, ...geomArgs(g));
}
