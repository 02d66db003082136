// linear.ts — a Linear or convolution layer (weights [out, …] flattened to [out, K]) ready to run:
// INT8 = quantize the f32 input per tensor (the layer's scale and zero point) → int8 GEMM whose
// epilogue dequantizes (acc + bias)·s_in·s_w[c] back to f32; FP32 = packed f32 GEMM with bias.
// Weights are packed once, at load.
import {
  gemmF32,
  gemmI8F32,
  gemmI8ScratchBytes,
  KBuf,
  type Kernels,
  type PackedGemmF32B,
  type PackedGemmI8Weights,
  packGemmF32B,
  packGemmI8Weights,
  quantizeF32I8,
} from '@edgeseg/kernels';
import type { StTensor } from '@edgeseg/safetensors';
import type { ActQuant } from '../format.js';
import type { Workspace } from './workspace.js';

export interface Layer {
  readonly name: string;
  readonly outF: number;
  /** Reduction length K (in features, or kh·kw·inC for a convolution). */
  readonly inF: number;
  /** y[rows × outF] (row stride ldy, element offset yOffset) = layer(x[rows × inF]). */
  run(ws: Workspace, x: KBuf<'f32'>, rows: number, y: KBuf<'f32'>, yOffset?: number, ldy?: number): void;
  release(): void;
}

function tensor(tensors: Map<string, StTensor>, name: string): StTensor {
  const t = tensors.get(name);
  if (!t) throw new Error(`runtime: tensor "${name}" is missing.`);
  return t;
}

export class QuantLinear implements Layer {
  readonly outF: number;
  readonly inF: number;
  private readonly packed: PackedGemmI8Weights;
  private readonly scales: KBuf<'f32'>;
  private readonly q: ActQuant;

  constructor(
    private readonly k: Kernels,
    readonly name: string,
    tensors: Map<string, StTensor>,
    q: ActQuant,
  ) {
    const w = tensor(tensors, `${name}.weight`);
    const ws = tensor(tensors, `${name}.wscale`).data as Float32Array;
    const bias = tensor(tensors, `${name}.bias`).data as Int32Array;
    this.outF = w.shape[0];
    this.inF = w.data.length / this.outF;
    this.q = q;
    const wb = k.from('i8', w.data as Int8Array);
    const bb = k.from('i32', bias);
    this.packed = packGemmI8Weights(k, wb, { n: this.outF, k: this.inF, layout: 'nk', bias: bb });
    wb.release();
    bb.release();
    this.scales = k.from(
      'f32',
      Float32Array.from(ws, (s) => s * q.scale),
    );
  }

  run(ws: Workspace, x: KBuf<'f32'>, rows: number, y: KBuf<'f32'>, yOffset = 0, ldy = this.outF): void {
    const n = rows * this.inF;
    const xq = ws.get('linear.xq', 'i8', n);
    quantizeF32I8(this.k, x, xq, { scale: this.q.scale, zeroPoint: this.q.zeroPoint }, n);
    const out = yOffset === 0 ? y : viewAt(this.k, y, yOffset);
    gemmI8F32(this.k, xq, this.packed, out, this.scales, {
      m: rows,
      za: this.q.zeroPoint,
      ldc: ldy,
      scratch: ws.get('linear.scratch', 'u8', gemmI8ScratchBytes(this.outF, this.inF)),
    });
  }

  release(): void {
    this.packed.release();
    this.scales.release();
  }
}

export class FloatLinear implements Layer {
  readonly outF: number;
  readonly inF: number;
  private readonly packed: PackedGemmF32B;
  private readonly bias: KBuf<'f32'>;

  constructor(
    private readonly k: Kernels,
    readonly name: string,
    tensors: Map<string, StTensor>,
  ) {
    const w = tensor(tensors, `${name}.weight`);
    this.outF = w.shape[0];
    this.inF = w.data.length / this.outF;
    const wb = k.from('f32', w.data as Float32Array);
    this.packed = packGemmF32B(k, wb, { k: this.inF, n: this.outF, transB: true });
    wb.release();
    this.bias = k.from('f32', tensor(tensors, `${name}.bias`).data as Float32Array);
  }

  run(_ws: Workspace, x: KBuf<'f32'>, rows: number, y: KBuf<'f32'>, yOffset = 0, ldy = this.outF): void {
    gemmF32(this.k, {
      m: rows,
      n: this.outF,
      k: this.inF,
      a: x,
      packed: this.packed,
      c: y,
      cOffset: yOffset,
      ldc: ldy,
      bias: this.bias,
    });
  }

  release(): void {
    this.packed.release();
    this.bias.release();
  }
}

/** A non-owning f32 handle starting `offset` elements into `b`. */
export function viewAt(k: Kernels, b: KBuf<'f32'>, offset: number): KBuf<'f32'> {
  return KBuf.at(k.arena, 'f32', b.ptr + 4 * offset, b.length - offset);
}
