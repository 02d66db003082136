// layers.ts — one `.edgeseg` layer as ONNX nodes, the way the executor runs it (executor/linear.ts):
//   int8 Linear/Conv: the f32 input is quantized per tensor with the layer's scale and zero point
//     (QuantizeLinear → DequantizeLinear), the int8 weight goes through a per-channel
//     DequantizeLinear (axis = output channel, zero point 0), the int32 bias through a
//     DequantizeLinear at s_in·s_w[c]; the output stays f32, as the executor's dequantizing
//     epilogue leaves it. ONNX Runtime rewrites DQ → MatMul ← DQ into an integer MatMul
//     (MatMulIntegerToFloat); TensorRT reads the same pattern as explicit quantization.
//   depthwise conv: f32 input, int8 weight dequantized per channel, f32 bias — the executor
//     dequantizes these weights once at load and runs the conv in f32.
//   fp32: the same ops on f32 initializers, no Q/DQ.
// Activations are uint8 by default: q_u8 = q_i8 + 128 with zero point z + 128 is the same integer
// grid (same values, same saturation), and U8S8 is ONNX Runtime's fast integer path on x86 and WASM.
import type { StTensor } from '@edgeseg/safetensors';
import type { ActQuant, EdgesegModelFile } from '../format.js';
import type { GraphBuilder } from './graphBuilder.js';

export type ActivationType = 'uint8' | 'int8';

export class LayerEmitter {
  private readonly int8: boolean;

  constructor(
    private readonly g: GraphBuilder,
    private readonly file: EdgesegModelFile,
    private readonly actType: ActivationType,
    private readonly opset: number,
  ) {
    this.int8 = file.meta.precision === 'int8';
  }

  private tensor(name: string): StTensor {
    const t = this.file.tensors.get(name);
    if (!t) throw new Error(`onnx: tensor "${name}" is missing from the model file.`);
    return t;
  }

  /** Q → DQ of an activation with the layer's per-tensor parameters (the executor's quantizeF32I8). */
  private fakeQuant(layer: string, x: string): string {
    const q: ActQuant | undefined = this.file.meta.quant[layer];
    if (!q) throw new Error(`onnx: quant["${layer}"] is missing. Expected it in an int8 model file.`);
    const g = this.g;
    const scale = g.f32(`${layer}.in_scale`, [], Float32Array.of(q.scale));
    const zp =
      this.actType === 'uint8'
        ? g.u8(`${layer}.in_zero_point`, [], Uint8Array.of(q.zeroPoint + 128))
        : g.i8(`${layer}.in_zero_point`, [], Int8Array.of(q.zeroPoint));
    const xq = g.node('QuantizeLinear', [x, scale, zp], undefined, `${layer}.in_q`);
    return g.node('DequantizeLinear', [xq, scale, zp], undefined, `${layer}.in_dq`);
  }

  /** DQ(int8 weight, per-channel scale on `axis`, zero point 0) — weights already laid out for ONNX. */
  private weightDq(layer: string, w: Int8Array, dims: number[], axis: number): string {
    const g = this.g;
    const outC = dims[axis];
    const s = this.tensor(`${layer}.wscale`).data as Float32Array;
    const wq = g.i8(`${layer}.weight_q`, dims, w);
    const scale = g.f32(`${layer}.weight_scale`, [outC], s);
    // Explicit zeros: TensorRT requires the zero point to be present-and-zero in some versions.
    const zp = g.i8(`${layer}.weight_zero_point`, [outC], new Int8Array(outC));
    return g.node('DequantizeLinear', [wq, scale, zp], { axis }, `${layer}.weight`);
  }

  /** DQ(int32 bias at s_in·s_w[c]) — the scale the executor's epilogue multiplies (acc + bias) by. */
  private biasDq(layer: string): string {
    const g = this.g;
    const sw = this.tensor(`${layer}.wscale`).data as Float32Array;
    const sIn = this.file.meta.quant[layer].scale;
    const b = this.tensor(`${layer}.bias`).data as Int32Array;
    const bq = g.i32(`${layer}.bias_q`, [b.length], b);
    const scale = g.f32(
      `${layer}.bias_scale`,
      [b.length],
      Float32Array.from(sw, (s) => s * sIn),
    );
    // No zero point: DequantizeLinear's int32 input only allows 0, which is the default.
    return g.node('DequantizeLinear', [bq, scale], { axis: 0 }, `${layer}.bias`);
  }

  /** y [rows, out] = x [rows, in]·Wᵀ + b; the `.edgeseg` weight is [out, in] (or [out, kh, kw, in]). */
  linear(layer: string, x: string): string {
    const g = this.g;
    const w = this.tensor(`${layer}.weight`);
    const outF = w.shape[0];
    const inF = w.data.length / outF;
    // MatMul wants B = [in, out]: transpose once here (int8 or f32), per-channel axis becomes 1.
    let wIn: string;
    let bias: string;
    if (this.int8) {
      wIn = this.weightDq(layer, transpose2d(w.data as Int8Array, outF, inF), [inF, outF], 1);
      bias = this.biasDq(layer);
      x = this.fakeQuant(layer, x);
    } else {
      wIn = g.f32(`${layer}.weight`, [inF, outF], transpose2d(w.data as Float32Array, outF, inF));
      bias = g.f32(`${layer}.bias`, [outF], this.tensor(`${layer}.bias`).data as Float32Array);
    }
    const y = g.node('MatMul', [x, wIn], undefined, `${layer}.matmul`);
    return g.node('Add', [y, bias], undefined, `${layer}.out`);
  }

  /** A square convolution on NCHW x; the `.edgeseg` weight [out, k, k, in] becomes [out, in, k, k]. */
  conv(layer: string, x: string, kernel: number, stride: number, pad: number): string {
    const g = this.g;
    const w = this.tensor(`${layer}.weight`);
    const [outC, , , inC] = w.shape;
    const dims = [outC, inC, kernel, kernel];
    let wIn: string;
    let bias: string;
    if (this.int8) {
      wIn = this.weightDq(layer, ohwiToOihw(w.data as Int8Array, outC, kernel, inC), dims, 0);
      bias = this.biasDq(layer);
      x = this.fakeQuant(layer, x);
    } else {
      wIn = g.f32(`${layer}.weight`, dims, ohwiToOihw(w.data as Float32Array, outC, kernel, inC));
      bias = g.f32(`${layer}.bias`, [outC], this.tensor(`${layer}.bias`).data as Float32Array);
    }
    return g.node(
      'Conv',
      [x, wIn, bias],
      { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] },
      `${layer}.out`,
    );
  }

  /** The Mix-FFN's 3×3 depthwise conv (stride 1, pad 1) on NCHW x; weight [3, 3, C] → [C, 1, 3, 3]. */
  dwconv(layer: string, x: string): string {
    const g = this.g;
    const w = this.tensor(`${layer}.weight`);
    const [kh, kw, c] = w.shape;
    const dims = [c, 1, kh, kw];
    const wIn =
      w.dtype === 'I8'
        ? this.weightDq(layer, hwcToChw(w.data as Int8Array, kh * kw, c), dims, 0)
        : g.f32(`${layer}.weight`, dims, hwcToChw(w.data as Float32Array, kh * kw, c));
    const bias = g.f32(`${layer}.bias`, [c], this.tensor(`${layer}.bias`).data as Float32Array);
    return g.node(
      'Conv',
      [x, wIn, bias],
      { group: c, kernel_shape: [kh, kw], strides: [1, 1], pads: [kh >> 1, kw >> 1, kh >> 1, kw >> 1] },
      `${layer}.out`,
    );
  }

  /** LayerNorm over the last axis: the opset-17 op, or its decomposition (as PyTorch exports it) below. */
  layerNorm(layer: string, x: string, eps: number): string {
    const g = this.g;
    const w = this.f32(layer, 'weight');
    const gamma = g.f32(`${layer}.weight`, [w.length], w);
    const beta = g.f32(`${layer}.bias`, [w.length], this.f32(layer, 'bias'));
    if (this.opset >= 17) {
      return g.node(
        'LayerNormalization',
        [x, gamma, beta],
        { axis: -1, epsilon: { float: eps } },
        `${layer}.out`,
      );
    }
    const mean = g.node('ReduceMean', [x], { axes: [-1], keepdims: 1 }, `${layer}.mean`);
    const d = g.node('Sub', [x, mean], undefined, `${layer}.centered`);
    const sq = g.node('Pow', [d, g.scalarF32(2)], undefined, `${layer}.sq`);
    const v = g.node('ReduceMean', [sq], { axes: [-1], keepdims: 1 }, `${layer}.var`);
    const sd = g.node('Sqrt', [g.node('Add', [v, g.scalarF32(eps)], undefined, `${layer}.var_eps`)]);
    const n = g.node('Div', [d, sd], undefined, `${layer}.normed`);
    return g.node('Add', [g.node('Mul', [n, gamma]), beta], undefined, `${layer}.out`);
  }

  private f32(layer: string, which: 'weight' | 'bias'): Float32Array {
    return this.tensor(`${layer}.${which}`).data as Float32Array;
  }
}

/** GELU with the exact erf (PyTorch nn.GELU(), the executor's gelu): x·½·(1 + erf(x/√2)). */
export function gelu(g: GraphBuilder, x: string, name: string): string {
  const e = g.node('Erf', [g.node('Div', [x, g.scalarF32(Math.SQRT2)])]);
  const p = g.node('Mul', [x, g.node('Add', [e, g.scalarF32(1)])]);
  return g.node('Mul', [p, g.scalarF32(0.5)], undefined, name);
}

function transpose2d<T extends Int8Array | Float32Array>(a: T, rows: number, cols: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

function ohwiToOihw<T extends Int8Array | Float32Array>(a: T, outC: number, k: number, inC: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let o = 0; o < outC; o++)
    for (let p = 0; p < k * k; p++)
      for (let i = 0; i < inC; i++) out[(o * inC + i) * k * k + p] = a[(o * k * k + p) * inC + i];
  return out;
}

function hwcToChw<T extends Int8Array | Float32Array>(a: T, hw: number, c: number): T {
  return transpose2d(a, hw, c);
}
