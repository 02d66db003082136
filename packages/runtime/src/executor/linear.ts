// linear.ts — a Linear or convolution layer (weights [out, …] flattened to [out, K]) ready to run:
// INT8 = quantize the f32 input per tensor (the layer's scale and zero point) → int8 GEMM whose
// epilogue dequantizes (acc + bias)·s_in·s_w[c] back to f32; FP32 = packed f32 GEMM with bias.
// Weights are packed once, at load, by the thread that owns the memory; a worker attaches to the
// packed weights by pointer (`describe` → `attachLayer`). Every call takes its scratch from the
// caller (a thread's own buffers), so threads can run rows of one layer at once.
import {
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  gemmF32PackedLength,
  gemmI8F32,
  gemmI8PackedBytes,
  gemmI8ScratchBytes,
  KBuf,
  type Kernels,
  type PackedGemmF32B,
  type PackedGemmI8Weights,
  packGemmF32B,
  packGemmI8Weights,
  quantizeF32I8,
  unaryF32,
} from '@edgeseg/kernels';
import type { StTensor } from '@edgeseg/safetensors';
import type { ActQuant } from '../format.js';
import type { Scratch } from './workspace.js';

export interface Layer {
  readonly name: string;
  readonly outF: number;
  /** Reduction length K (in features, or kh·kw·inC for a convolution). */
  readonly inF: number;
  /**
   * y[rows × outF] (row stride ldy, element offset yOffset) = layer(x[rows × inF], from element xOffset),
   * with `k` the kernels to call and `s` the calling thread's scratch.
   */
  run(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset?: number,
    ldy?: number,
    xOffset?: number,
  ): void;
  /** run() on relu(x); x may be overwritten with relu(x). */
  runRelu(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset?: number,
    xOffset?: number,
  ): void;
  /** Pointers and sizes of the packed weights, for `attachLayer` in a worker. */
  describe(): LayerLayout;
  release(): void;
}

export type LayerLayout =
  | { kind: 'int8'; name: string; outF: number; inF: number; packed: number; scales: number; q: ActQuant }
  | { kind: 'fp32'; name: string; outF: number; inF: number; packed: number; bias: number };

function tensor(tensors: Map<string, StTensor>, name: string): StTensor {
  const t = tensors.get(name);
  if (!t) throw new Error(`runtime: tensor "${name}" is missing.`);
  return t;
}

/** A non-owning f32 handle starting `offset` elements into `b`. */
export function viewAt(k: Kernels, b: KBuf<'f32'>, offset: number): KBuf<'f32'> {
  return offset === 0 ? b : KBuf.at(k.arena, 'f32', b.ptr + 4 * offset, b.length - offset);
}

export class QuantLinear implements Layer {
  private constructor(
    readonly name: string,
    readonly outF: number,
    readonly inF: number,
    private readonly packed: PackedGemmI8Weights,
    private readonly scales: KBuf<'f32'>,
    private readonly q: ActQuant,
    private readonly owned: boolean,
  ) {}

  static load(k: Kernels, name: string, tensors: Map<string, StTensor>, q: ActQuant): QuantLinear {
    const w = tensor(tensors, `${name}.weight`);
    const ws = tensor(tensors, `${name}.wscale`).data as Float32Array;
    const bias = tensor(tensors, `${name}.bias`).data as Int32Array;
    const outF = w.shape[0];
    const inF = w.data.length / outF;
    const wb = k.from('i8', w.data as Int8Array);
    const bb = k.from('i32', bias);
    const packed = packGemmI8Weights(k, wb, { n: outF, k: inF, layout: 'nk', bias: bb });
    wb.release();
    bb.release();
    const scales = k.from(
      'f32',
      Float32Array.from(ws, (s) => s * q.scale),
    );
    return new QuantLinear(name, outF, inF, packed, scales, q, true);
  }

  static attach(k: Kernels, l: Extract<LayerLayout, { kind: 'int8' }>): QuantLinear {
    const packed: PackedGemmI8Weights = {
      packed: KBuf.at(k.arena, 'u8', l.packed, gemmI8PackedBytes(l.outF, l.inF)),
      n: l.outF,
      k: l.inF,
      layout: 'nk',
      hasBias: true,
      release() {},
    };
    return new QuantLinear(
      l.name,
      l.outF,
      l.inF,
      packed,
      KBuf.at(k.arena, 'f32', l.scales, l.outF),
      l.q,
      false,
    );
  }

  run(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset = 0,
    ldy = this.outF,
    xOffset = 0,
  ): void {
    this.quantizeAndRun(k, s, x, xOffset, rows, y, yOffset, ldy, -128);
  }

  // Quantizing relu(x) is quantizing x with qmin raised to the zero point: every x ≤ 0 rounds to at
  // most Z, which the clamp lifts to Z = quant(0). Exact, and it saves a pass over x.
  runRelu(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset = 0,
    xOffset = 0,
  ): void {
    this.quantizeAndRun(k, s, x, xOffset, rows, y, yOffset, this.outF, this.q.zeroPoint);
  }

  private quantizeAndRun(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    xOffset: number,
    rows: number,
    y: KBuf<'f32'>,
    yOffset: number,
    ldy: number,
    qmin: number,
  ): void {
    if (rows === 0) return;
    const n = rows * this.inF;
    const xq = s.get('linear.xq', 'i8', n);
    this.quantize(k, x, xOffset, n, xq, qmin);
    this.runQuantized(k, s, xq, rows, y, yOffset, ldy);
  }

  /**
   * xq[0 … n) = this layer's input quantization of x[xOffset … xOffset + n) (the first step of run);
   * `qmin` raises the clamp's floor (the zero point = relu first).
   */
  quantize(k: Kernels, x: KBuf<'f32'>, xOffset: number, n: number, xq: KBuf<'i8'>, qmin = -128): void {
    quantizeF32I8(
      k,
      viewAt(k, x, xOffset),
      xq,
      { scale: this.q.scale, zeroPoint: this.q.zeroPoint, qmin },
      n,
    );
  }

  /** Its per-tensor input quantization. */
  get inputQuant(): { scale: number; zeroPoint: number } {
    return { scale: this.q.scale, zeroPoint: this.q.zeroPoint };
  }

  /** The integer its input quantization maps 0.0 to (a convolution's padding, once quantized). */
  get zeroPoint(): number {
    return this.q.zeroPoint;
  }

  /** run() on an input already quantized with this layer's scale and zero point (quantize()). */
  runQuantized(
    k: Kernels,
    s: Scratch,
    xq: KBuf<'i8'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset = 0,
    ldy = this.outF,
  ): void {
    if (rows === 0) return;
    gemmI8F32(k, xq, this.packed, viewAt(k, y, yOffset), this.scales, {
      m: rows,
      za: this.q.zeroPoint,
      ldc: ldy,
      scratch: s.get('linear.scratch', 'u8', gemmI8ScratchBytes(this.outF, this.inF)),
    });
  }

  describe(): LayerLayout {
    return {
      kind: 'int8',
      name: this.name,
      outF: this.outF,
      inF: this.inF,
      packed: this.packed.packed.ptr,
      scales: this.scales.ptr,
      q: this.q,
    };
  }

  release(): void {
    if (!this.owned) return;
    this.packed.release();
    this.scales.release();
  }
}

export class FloatLinear implements Layer {
  private constructor(
    readonly name: string,
    readonly outF: number,
    readonly inF: number,
    private readonly packed: PackedGemmF32B,
    private readonly bias: KBuf<'f32'>,
    private readonly owned: boolean,
  ) {}

  static load(k: Kernels, name: string, tensors: Map<string, StTensor>): FloatLinear {
    const w = tensor(tensors, `${name}.weight`);
    const outF = w.shape[0];
    const inF = w.data.length / outF;
    const wb = k.from('f32', w.data as Float32Array);
    const packed = packGemmF32B(k, wb, { k: inF, n: outF, transB: true });
    wb.release();
    const bias = k.from('f32', tensor(tensors, `${name}.bias`).data as Float32Array);
    return new FloatLinear(name, outF, inF, packed, bias, true);
  }

  static attach(k: Kernels, l: Extract<LayerLayout, { kind: 'fp32' }>): FloatLinear {
    const len = gemmF32PackedLength(l.inF, l.outF);
    const packed: PackedGemmF32B = {
      packed: KBuf.at(k.arena, 'f32', l.packed, len),
      k: l.inF,
      n: l.outF,
      release() {},
    };
    return new FloatLinear(l.name, l.outF, l.inF, packed, KBuf.at(k.arena, 'f32', l.bias, l.outF), false);
  }

  run(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset = 0,
    ldy = this.outF,
    xOffset = 0,
  ): void {
    if (rows === 0) return;
    gemmF32(k, {
      m: rows,
      n: this.outF,
      k: this.inF,
      a: x,
      aOffset: xOffset,
      packed: this.packed,
      c: y,
      cOffset: yOffset,
      ldc: ldy,
      bias: this.bias,
      scratch: s.get('gemm.scratch', 'u8', GEMM_F32_SCRATCH_BYTES),
    });
  }

  runRelu(
    k: Kernels,
    s: Scratch,
    x: KBuf<'f32'>,
    rows: number,
    y: KBuf<'f32'>,
    yOffset = 0,
    xOffset = 0,
  ): void {
    if (rows === 0) return;
    const xs = viewAt(k, x, xOffset);
    unaryF32(k, 'relu', xs, xs, { n: rows * this.inF });
    this.run(k, s, x, rows, y, yOffset, this.outF, xOffset);
  }

  describe(): LayerLayout {
    return {
      kind: 'fp32',
      name: this.name,
      outF: this.outF,
      inF: this.inF,
      packed: this.packed.packed.ptr,
      bias: this.bias.ptr,
    };
  }

  release(): void {
    if (!this.owned) return;
    this.packed.release();
    this.bias.release();
  }
}

/** A layer over weights another thread packed. */
export function attachLayer(k: Kernels, l: LayerLayout): Layer {
  return l.kind === 'int8' ? QuantLinear.attach(k, l) : FloatLinear.attach(k, l);
}
