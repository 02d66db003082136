// families/resizeF32.ts — manifest entries and typed wrappers for assembly/resize_f32/: bilinear
// resize of NHWC images with align_corners = false (half-pixel centres, as PyTorch), forward and its
// accumulating adjoint, with the semantics of autograd's ArrayBackend.resize / resizeGrad. SegFormer
// resizes every stage's features to 1/4 resolution in its decoder, and its logits to the label size.
import { type BufArg, checkBufs, nhwc } from '../checks.js';
import { expectBuf, expectInt, KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const SUMMARY = {
  resize_bilinear_f32: 'bilinear resize NHWC, align_corners=false (half-pixel), up or down',
  resize_bilinear_grad_f32: 'dx (NHWC) += the adjoint of the bilinear resize applied to dy',
  resize_bilinear_argmax_f32: 'class ids (u8) = argmax over channels of the bilinear resize, never stored',
  resize_bilinear_add_f32: 'y += the bilinear resize, on a range of output rows (decoder partial sums)',
};

export const resizeF32Kernels: KernelInfo[] = (Object.keys(SUMMARY) as (keyof typeof SUMMARY)[]).flatMap(
  (op) =>
    (['scalar', 'simd128'] as const).map((isa) => ({
      name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
      family: 'resize_f32',
      op,
      isa,
      summary: SUMMARY[op],
    })),
);

/** The arguments of ArrayBackend.resize after its buffers: NHWC sizes in and out. */
export interface ResizeGeomF32 {
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  /** Channels. */
  c: number;
}

/** Bytes of scratch one resize call needs: the column taps, 16 per output column. */
export function resizeF32ScratchBytes(g: Pick<ResizeGeomF32, 'outW'>): number {
  return g.outW * 16;
}

export interface ResizeOptions {
  /** Force one ISA variant (tests, benchmarks); default = the best in the loaded build. */
  isa?: Isa;
  /** Caller-owned scratch (≥ resizeF32ScratchBytes(g) bytes, any dtype); default: borrowed from the arena. */
  scratch?: KBuf;
}

function checkGeom(op: string, g: ResizeGeomF32): void {
  for (const f of ['batch', 'inH', 'inW', 'outH', 'outW', 'c'] as const) expectInt(op, f, g[f], 0);
  if ((g.inH === 0 || g.inW === 0) && g.outH * g.outW > 0) {
    throw new Error(
      `${op}: cannot resize an empty image to a non-empty one. Expected inH, inW ≥ 1, got ${g.inH}×${g.inW} → ${g.outH}×${g.outW}.`,
    );
  }
  if (Math.max(g.inW, g.outW) * g.c * 4 > 2 ** 31 - 1) {
    throw new Error(
      `${op}: image rows too wide. Expected width·c·4 < 2^31 bytes, got ${Math.max(g.inW, g.outW) * g.c * 4}.`,
    );
  }
}

function args(
  g: ResizeGeomF32,
  small: KBuf,
  smallName: string,
  big: KBuf,
  bigName: string,
): [BufArg, BufArg] {
  return [
    {
      name: smallName,
      buf: small,
      length: nhwc(g.batch, g.inH, g.inW, g.c),
      why: `batch·inH·inW·c = ${g.batch}·${g.inH}·${g.inW}·${g.c}`,
    },
    {
      name: bigName,
      buf: big,
      length: nhwc(g.batch, g.outH, g.outW, g.c),
      why: `batch·outH·outW·c = ${g.batch}·${g.outH}·${g.outW}·${g.c}`,
    },
  ];
}

/** Runs op with the given scratch (checked) or one borrowed from the arena for the call. */
function withScratch(
  op: string,
  k: Kernels,
  g: ResizeGeomF32,
  ins: BufArg[],
  outs: BufArg[],
  given: KBuf | undefined,
  call: (scratch: number) => void,
): void {
  const bytes = resizeF32ScratchBytes(g);
  if (given) {
    if (given.isReleased) throw new Error(`${op}: scratch was already released.`);
    if (given.byteLength < bytes) {
      throw new Error(
        `${op}: scratch is too small. Expected ≥ ${bytes} bytes (16·outW, outW = ${g.outW}), got ${given.byteLength}.`,
      );
    }
    if (given.ptr % 8 !== 0) {
      throw new Error(`${op}: scratch is misaligned. Expected an 8-byte aligned offset, got ${given.ptr}.`);
    }
    const view = KBuf.at(given.arena, 'f32', given.ptr, bytes / 4);
    checkBufs(op, ins, [...outs, { name: 'scratch', buf: view, length: bytes / 4, why: '16·outW bytes' }]);
    call(given.ptr);
    return;
  }
  checkBufs(op, ins, outs);
  const scratch = k.alloc('u8', bytes);
  try {
    call(scratch.ptr);
  } finally {
    scratch.release();
  }
}

/** y [batch, outH, outW, c] = bilinear resize of x [batch, inH, inW, c] (align_corners = false). */
export function resizeBilinearF32(
  k: Kernels,
  x: KBuf,
  y: KBuf,
  g: ResizeGeomF32,
  o: ResizeOptions = {},
): void {
  const op = 'resize_bilinear_f32';
  checkGeom(op, g);
  const [xa, ya] = args(g, x, 'x', y, 'y');
  const fn = k.fn(k.pick(op, o.isa));
  withScratch(op, k, g, [xa], [ya], o.scratch, (s) =>
    fn(x.ptr, y.ptr, g.batch, g.inH, g.inW, g.outH, g.outW, g.c, s),
  );
}

/** dx [batch, inH, inW, c] += the adjoint of resizeBilinearF32 applied to dy [batch, outH, outW, c]. */
export function resizeBilinearGradF32(
  k: Kernels,
  dy: KBuf,
  dx: KBuf,
  g: ResizeGeomF32,
  o: ResizeOptions = {},
): void {
  const op = 'resize_bilinear_grad_f32';
  checkGeom(op, g);
  const [xa, ya] = args(g, dx, 'dx', dy, 'dy');
  const fn = k.fn(k.pick(op, o.isa));
  withScratch(op, k, g, [ya], [xa], o.scratch, (s) =>
    fn(dy.ptr, dx.ptr, g.batch, g.inH, g.inW, g.outH, g.outW, g.c, s),
  );
}

export interface ResizeAddOptions extends ResizeOptions {
  /** Output rows [from, to) of every image to add into (default: all of them); the others are untouched. */
  rows?: [number, number];
}

/**
 * y [batch, outH, outW, c] += resizeBilinearF32(x) on output rows [rows[0], rows[1]) of every image: the
 * resized values are added where they are computed, never stored. Each value is the resize's f32 value
 * (bit-exact with the twin kernels/ref resizeBilinearAddF32), added once. A thread adds into its own rows
 * of a shared y with `rows`.
 */
export function resizeBilinearAddF32(
  k: Kernels,
  x: KBuf,
  y: KBuf,
  g: ResizeGeomF32,
  o: ResizeAddOptions = {},
): void {
  const op = 'resize_bilinear_add_f32';
  checkGeom(op, g);
  const [lo, hi] = o.rows ?? [0, g.outH];
  expectInt(op, 'rows[0]', lo, 0, g.outH);
  expectInt(op, 'rows[1]', hi, lo, g.outH);
  const [xa, ya] = args(g, x, 'x', y, 'y');
  const fn = k.fn(k.pick(op, o.isa));
  withScratch(op, k, g, [xa], [ya], o.scratch, (s) =>
    fn(x.ptr, y.ptr, g.batch, g.inH, g.inW, g.outH, g.outW, g.c, s, lo, hi),
  );
}

/**
 * y [batch, outH, outW] (u8) = per output pixel, the first channel with the largest value of
 * resizeBilinearF32(x) (the same f32 values, never stored): class ids at the label size from logits at
 * 1/4 of it. Ties go to the lower channel; NaN never wins, except in channel 0, which then does.
 * 1 ≤ c ≤ 256.
 */
export function resizeBilinearArgmaxF32(
  k: Kernels,
  x: KBuf,
  y: KBuf,
  g: ResizeGeomF32,
  o: ResizeOptions = {},
): void {
  const op = 'resize_bilinear_argmax_f32';
  checkGeom(op, g);
  expectInt(op, 'c', g.c, 1, 256);
  const xa: BufArg = {
    name: 'x',
    buf: x,
    length: nhwc(g.batch, g.inH, g.inW, g.c),
    why: `batch·inH·inW·c = ${g.batch}·${g.inH}·${g.inW}·${g.c}`,
  };
  // y holds bytes, which checkBufs (f32 buffers) does not take: its checks are here.
  const n = g.batch * g.outH * g.outW;
  expectBuf(op, 'y', y, 'u8', n, `batch·outH·outW = ${g.batch}·${g.outH}·${g.outW} (one class id per pixel)`);
  if (y.arena !== x.arena) {
    throw new Error(
      `${op}: y lives in a different kernel memory than x. Expected all buffers from the same Kernels.`,
    );
  }
  const fn = k.fn(k.pick(op, o.isa));
  const overlaps = (p: number, bytes: number) => n > 0 && bytes > 0 && y.ptr < p + bytes && p < y.ptr + n;
  if (overlaps(x.ptr, xa.length * 4)) {
    throw new Error(
      `${op}: y overlaps x. Expected separate memory, got x at bytes [${x.ptr}, ${x.ptr + xa.length * 4}) and y at [${y.ptr}, ${y.ptr + n}).`,
    );
  }
  withScratch(op, k, g, [xa], [], o.scratch, (s) => {
    if (overlaps(s, resizeF32ScratchBytes(g))) {
      throw new Error(`${op}: y overlaps scratch. Expected separate memory, got scratch at byte ${s}.`);
    }
    fn(x.ptr, y.ptr, g.batch, g.inH, g.inW, g.outH, g.outW, g.c, s);
  });
}
