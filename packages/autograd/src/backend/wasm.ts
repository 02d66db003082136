// wasm.ts — the backend on edgeseg's WASM kernels. Tensors live in the kernel module's memory (an
// arena, explicitly released), so kernels read and write them in place: no copy in or out per op.
// Every llop with a kernel calls it; the few argument patterns a kernel does not cover (a two-sided
// broadcast, a permute that is not a batched transpose, AdamW hyper-parameters or a fake-quant grid
// outside the kernels' domain) run the inherited typed-array loops over the same memory, through
// `js()` so a profiler can tell them apart.
import {
  adamwF32,
  affineF32,
  BINARY_F32_OPS,
  binaryBroadcastF32,
  binaryColF32,
  binaryF32,
  binaryScalarF32,
  col2imF32,
  dequantizeI8F32,
  dwconvF32,
  dwconvGradF32,
  fakeQuantF32,
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  im2colF32,
  KBuf,
  type Kernels,
  type LoadOptions,
  layerNormF32,
  layerNormGradF32,
  loadKernelsSync,
  logSoftmaxF32,
  permuteAsTranspose,
  quantizeF32I8,
  reduceF32,
  resizeBilinearF32,
  resizeBilinearGradF32,
  resizeF32ScratchBytes,
  softmaxF32,
  transposeF32,
  unaryF32,
  unaryGradF32,
} from '@edgeseg/kernels';
import { ArrayBackend } from './arrayBackend.js';
import type { AdamwHyper, BinaryOp, ConvGeom, FakeQuantArgs, GemmArgs, Storage, UnaryOp } from './backend.js';

const MUL = BINARY_F32_OPS.indexOf('mul');
/** Elements per block of the fake-quant backward: its temporaries (9 bytes per element) stay in L2. */
const FQ_BLOCK = 1 << 16;

/** The quantize kernels' domain: an int8 grid, the zero point on it, a finite positive step. */
function int8Grid(q: FakeQuantArgs): boolean {
  const int = (v: number) => Number.isInteger(v) && v >= -128 && v <= 127;
  return (
    int(q.qmin) &&
    int(q.qmax) &&
    int(q.zeroPoint) &&
    q.qmin <= q.zeroPoint &&
    q.zeroPoint <= q.qmax &&
    q.qmin <= q.qmax &&
    q.scale > 0 &&
    Number.isFinite(q.scale)
  );
}

class WasmStorage implements Storage {
  refs = 1;
  constructor(
    readonly ptr: number,
    readonly length: number,
  ) {}
}

export class WasmBackend extends ArrayBackend {
  readonly name = 'wasm';
  readonly f64 = false;
  readonly kernels: Kernels;
  /**
   * Wraps every fallback to the inherited TS loops (`llop` names it), so a profiler can count that
   * time as JS rather than kernel time. Null: run directly.
   */
  fallbackHook: ((llop: string, run: () => void) => void) | null = null;
  private readonly scratch: KBuf;
  private readonly copyKernel: (op: number, a: number, s: number, out: number, n: number) => void;
  /** Column taps of the resize kernels, grown to the widest output seen. */
  private resizeScratch: KBuf | null = null;

  constructor(kernels?: Kernels, opts: LoadOptions = {}) {
    super();
    this.kernels = kernels ?? loadKernelsSync(opts);
    this.scratch = this.kernels.alloc('u8', GEMM_F32_SCRATCH_BYTES);
    this.copyKernel = this.kernels.fn(this.kernels.pick('binary_scalar_f32'));
  }

  alloc(n: number): Storage {
    return new WasmStorage(this.kernels.arena.alloc(n * 4), n);
  }

  release(s: Storage): void {
    const w = s as WasmStorage;
    if (--w.refs === 0) this.kernels.arena.release(w.ptr);
    else if (w.refs < 0) throw new Error('wasm backend: storage released more often than it was referenced.');
  }

  view(s: Storage): Float32Array {
    const w = s as WasmStorage;
    return new Float32Array(this.kernels.memory.buffer, w.ptr, w.length);
  }

  private buf(s: Storage): KBuf<'f32'> {
    const w = s as WasmStorage;
    return KBuf.at(this.kernels.arena, 'f32', w.ptr, w.length);
  }

  private js(llop: string, run: () => void): void {
    if (this.fallbackHook) this.fallbackHook(llop, run);
    else run();
  }

  // fill: TypedArray.fill over one view of the whole memory (a native memset; one view, not one per
  // call, because gradients are zeroed tensor by tensor).
  private memView: Float32Array | null = null;
  private mem(): Float32Array {
    const b = this.kernels.memory.buffer;
    if (this.memView?.buffer !== b) this.memView = new Float32Array(b);
    return this.memView;
  }

  override fill(s: Storage, value: number, offset = 0, n = s.length - offset): void {
    this.inside('fill', s, offset, n);
    const p = (s as WasmStorage).ptr >>> 2;
    this.mem().fill(value, p + offset, p + offset + n);
  }

  /** A whole-memory view does not stop at a tensor's end as a per-storage view did: check here. */
  private inside(op: string, s: Storage, offset: number, n: number): void {
    if (!(offset >= 0 && n >= 0 && offset + n <= s.length)) {
      throw new Error(
        `wasm backend: ${op} of ${n} elements at ${offset} is outside its storage. Expected a range within ${s.length} elements.`,
      );
    }
  }

  /**
   * copy: the binary_scalar kernel's out = a·1, which is the identity on every f32 but a NaN's
   * payload. Called raw (the spans are checked here) because concat and slice copy row by row:
   * a raw call costs ~20 ns, the checked wrapper or TypedArray.copyWithin 0.3–0.7 µs, and the
   * kernel also moves a long span faster than copyWithin (SIMD vs a generic memmove). Partly
   * overlapping spans (which the kernel must not see) take copyWithin, a memmove.
   */
  override copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, n: number): void {
    this.inside('copy', src, srcOffset, n);
    this.inside('copy', dst, dstOffset, n);
    if (n === 0) return;
    const s = src as WasmStorage;
    const d = dst as WasmStorage;
    const sp = s.ptr + 4 * srcOffset;
    const dp = d.ptr + 4 * dstOffset;
    if (sp !== dp && sp < dp + 4 * n && dp < sp + 4 * n) {
      this.mem().copyWithin(dp >>> 2, sp >>> 2, (sp >>> 2) + n);
      return;
    }
    this.copyKernel(MUL, sp, 1, dp, n);
  }

  override gemm(g: GemmArgs): void {
    gemmF32(this.kernels, {
      m: g.m,
      n: g.n,
      k: g.k,
      a: this.buf(g.a),
      aOffset: g.aOffset,
      lda: g.lda,
      transA: g.transA,
      b: this.buf(g.b),
      bOffset: g.bOffset,
      ldb: g.ldb,
      transB: g.transB,
      c: this.buf(g.c),
      cOffset: g.cOffset,
      ldc: g.ldc,
      accumulate: g.accumulate,
      bias: g.bias ? this.buf(g.bias) : null,
      scratch: this.scratch,
    });
  }

  override unary(op: UnaryOp, x: Storage, y: Storage, n: number): void {
    unaryF32(this.kernels, op, this.buf(x), this.buf(y), { n });
  }

  override unaryGrad(op: UnaryOp, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number): void {
    unaryGradF32(
      this.kernels,
      op,
      { x: this.buf(x), y: this.buf(y), dy: this.buf(dy), dx: this.buf(dx) },
      { n },
    );
  }

  override binary(
    op: BinaryOp,
    a: Storage,
    aStr: number[],
    b: Storage,
    bStr: number[],
    out: Storage,
    shape: number[],
  ): void {
    // Same-shape, row, column and scalar broadcasts (either side) map onto one kernel per outer index.
    if (binaryBroadcastF32(this.kernels, op, this.buf(a), aStr, this.buf(b), bStr, this.buf(out), shape))
      return;
    this.js('binary', () => super.binary(op, a, aStr, b, bStr, out, shape));
  }

  override affine(x: Storage, y: Storage, n: number, scale: number, shift: number): void {
    affineF32(this.kernels, this.buf(x), this.buf(y), scale, shift, { n });
  }

  override reduce(
    op: 'sum' | 'max',
    x: Storage,
    outer: number,
    mid: number,
    inner: number,
    out: Storage,
  ): void {
    reduceF32(this.kernels, op, this.buf(x), this.buf(out), { outer, mid, inner });
  }

  override softmax(x: Storage, y: Storage, rows: number, cols: number, log: boolean): void {
    (log ? logSoftmaxF32 : softmaxF32)(this.kernels, this.buf(x), this.buf(y), { rows, cols });
  }

  /**
   * No softmax-backward kernel: four elementwise kernel passes instead, through a temporary t, so
   * that dx may be dy (attention's backward runs in place).
   *   softmax:     s = Σ_row dy·y;  dx = y·(dy − s)
   *   log-softmax: s = Σ_row dy;    dx = dy − e^y·s
   */
  override softmaxGrad(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number, log: boolean): void {
    const k = this.kernels;
    const n = rows * cols;
    const Y = this.buf(y);
    const DY = this.buf(dy);
    const DX = this.buf(dx);
    const t = k.alloc('f32', n);
    const s = k.alloc('f32', rows);
    try {
      const bc = { rows, cols };
      if (log) {
        reduceF32(k, 'sum', DY, s, { outer: rows, mid: cols, inner: 1 });
        unaryF32(k, 'exp', Y, t, { n });
        binaryColF32(k, 'mul', t, s, t, bc);
        binaryF32(k, 'sub', DY, t, DX, { n });
      } else {
        binaryF32(k, 'mul', DY, Y, t, { n });
        reduceF32(k, 'sum', t, s, { outer: rows, mid: cols, inner: 1 });
        binaryColF32(k, 'sub', DY, s, t, bc);
        binaryF32(k, 'mul', t, Y, DX, { n });
      }
    } finally {
      t.release();
      s.release();
    }
  }

  override layerNorm(
    x: Storage,
    gamma: Storage,
    beta: Storage,
    y: Storage,
    mean: Storage,
    rstd: Storage,
    rows: number,
    cols: number,
    eps: number,
  ): void {
    const b = (s: Storage) => this.buf(s);
    layerNormF32(this.kernels, b(x), b(gamma), b(beta), b(y), b(mean), b(rstd), { rows, cols, eps });
  }

  override layerNormGrad(
    x: Storage,
    gamma: Storage,
    mean: Storage,
    rstd: Storage,
    dy: Storage,
    dx: Storage,
    dgamma: Storage,
    dbeta: Storage,
    rows: number,
    cols: number,
  ): void {
    const b = (s: Storage) => this.buf(s);
    layerNormGradF32(this.kernels, b(x), b(gamma), b(mean), b(rstd), b(dy), b(dx), b(dgamma), b(dbeta), {
      rows,
      cols,
    });
  }

  override im2col(x: Storage, cols: Storage, g: ConvGeom): void {
    im2colF32(this.kernels, this.buf(x), this.buf(cols), g);
  }

  override col2im(dcols: Storage, dx: Storage, g: ConvGeom): void {
    col2imF32(this.kernels, this.buf(dcols), this.buf(dx), g);
  }

  override dwconv(x: Storage, w: Storage, bias: Storage | null, y: Storage, g: ConvGeom): void {
    dwconvF32(this.kernels, this.buf(x), this.buf(w), bias ? this.buf(bias) : null, this.buf(y), g);
  }

  override dwconvGrad(
    x: Storage,
    w: Storage,
    dy: Storage,
    dx: Storage | null,
    dw: Storage,
    db: Storage | null,
    g: ConvGeom,
  ): void {
    const b = (s: Storage | null) => (s ? this.buf(s) : null);
    dwconvGradF32(this.kernels, this.buf(x), this.buf(w), this.buf(dy), b(dx), this.buf(dw), b(db), g);
  }

  private resizeTaps(outW: number): KBuf {
    const bytes = resizeF32ScratchBytes({ outW });
    if (!this.resizeScratch || this.resizeScratch.byteLength < bytes) {
      this.resizeScratch?.release();
      this.resizeScratch = this.kernels.alloc('u8', bytes);
    }
    return this.resizeScratch;
  }

  override resize(
    x: Storage,
    y: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void {
    const g = { batch, inH, inW, outH, outW, c };
    resizeBilinearF32(this.kernels, this.buf(x), this.buf(y), g, { scratch: this.resizeTaps(outW) });
  }

  override resizeGrad(
    dy: Storage,
    dx: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void {
    const g = { batch, inH, inW, outH, outW, c };
    resizeBilinearGradF32(this.kernels, this.buf(dy), this.buf(dx), g, { scratch: this.resizeTaps(outW) });
  }

  override permute(x: Storage, shape: number[], perm: number[], out: Storage): void {
    const t = permuteAsTranspose(shape, perm);
    if (t) transposeF32(this.kernels, this.buf(x), this.buf(out), t);
    else if (perm.every((p, i) => p === i))
      this.copy(
        x,
        0,
        out,
        0,
        shape.reduce((p, s) => p * s, 1),
      );
    else this.js('permute', () => super.permute(x, shape, perm, out));
  }

  override adamw(p: Storage, g: Storage, m: Storage, v: Storage, n: number, h: AdamwHyper): void {
    // The kernel's domain (it checks the same and throws); anything else keeps the TS loop.
    const inKernel =
      h.lr >= 0 &&
      h.weightDecay >= 0 &&
      h.eps > 0 &&
      h.beta1 > 0 &&
      h.beta1 < 1 &&
      h.beta2 > 0 &&
      h.beta2 < 1 &&
      Number.isFinite(h.lr + h.weightDecay + h.eps);
    if (!inKernel) this.js('adamw', () => super.adamw(p, g, m, v, n, h));
    else adamwF32(this.kernels, { p: this.buf(p), g: this.buf(g), m: this.buf(m), v: this.buf(v) }, h, { n });
  }

  /** An f32 span of a storage as a kernel buffer (the wrappers take whole buffers). */
  private at(s: Storage, offset: number, n: number): KBuf<'f32'> {
    return KBuf.at(this.kernels.arena, 'f32', (s as WasmStorage).ptr + 4 * offset, n);
  }

  /**
   * fake_quant_f32 — the same grid, rounding and saturation as the TS loop, except that NaN
   * quantizes to the zero point (the kernels' and ONNX QuantizeLinear's rule) instead of staying NaN.
   * Outside the kernel's int8 grid the loop runs.
   */
  override fakeQuant(x: Storage, y: Storage, offset: number, n: number, q: FakeQuantArgs): void {
    if (!int8Grid(q)) {
      this.js('fakeQuant', () => super.fakeQuant(x, y, offset, n, q));
      return;
    }
    const Y = this.at(y, offset, n);
    fakeQuantF32(this.kernels, this.at(x, offset, n), Y, null, q, n);
    // The kernel rounds −0.3 to −0 (sign kept, as f32.nearest); the loop's grid value is +0. With
    // z = 0 that −0 survives to y: adding +0 turns it into +0 and changes nothing else.
    if (q.zeroPoint === 0) binaryScalarF32(this.kernels, 'add', Y, 0, Y);
  }

  /**
   * The backward from kernels, block by block: the STE mask m (fake_quant's), dx = dy·m, and
   * Σ dy·(r − m·x/s) with r = clamp(round(x/s) + z) − z (quantize, then dequantize with step 1),
   * which is LSQ's d inside (r − x/s) and outside (qmin − z or qmax − z) alike.
   */
  override fakeQuantGrad(
    x: Storage,
    dy: Storage,
    dx: Storage,
    offset: number,
    n: number,
    q: FakeQuantArgs,
  ): number {
    if (!int8Grid(q)) {
      let r = 0;
      this.js('fakeQuantGrad', () => {
        r = super.fakeQuantGrad(x, dy, dx, offset, n, q);
      });
      return r;
    }
    const k = this.kernels;
    const len = Math.min(n, FQ_BLOCK);
    const t = k.alloc('f32', len);
    const u = k.alloc('f32', len);
    const q8 = k.alloc('i8', len);
    const sum = k.alloc('f32', 1);
    let total = 0;
    try {
      for (let o = 0; o < n; o += len) {
        const b = Math.min(len, n - o);
        const X = this.at(x, offset + o, b);
        const DY = this.at(dy, offset + o, b);
        const T = KBuf.at(k.arena, 'f32', t.ptr, b);
        const U = KBuf.at(k.arena, 'f32', u.ptr, b);
        const Q = KBuf.at(k.arena, 'i8', q8.ptr, b);
        fakeQuantF32(k, X, T, KBuf.at(k.arena, 'u8', q8.ptr, b), q, b);
        dequantizeI8F32(k, Q, U, { scale: 1 }, b); // m as 0/1
        binaryF32(k, 'mul', DY, U, this.at(dx, offset + o, b));
        binaryScalarF32(k, 'div', X, q.scale, T);
        binaryF32(k, 'mul', T, U, T); // m·x/s
        quantizeF32I8(k, X, Q, q, b);
        dequantizeI8F32(k, Q, U, { scale: 1, zeroPoint: q.zeroPoint }, b); // r
        binaryF32(k, 'sub', U, T, U);
        binaryF32(k, 'mul', U, DY, U);
        reduceF32(k, 'sum', U, sum, { outer: 1, mid: b, inner: 1 });
        total += sum.view()[0];
      }
    } finally {
      for (const b of [t, u, q8, sum]) b.release();
    }
    return total;
  }
}
