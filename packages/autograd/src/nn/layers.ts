// layers.ts — the layers the models are made of. Initialization follows the SegFormer/timm code:
// trunc_normal(0.02) for Linear weights, fan-out normal for convs, ones/zeros for norms.
import type { Backend } from '../backend/backend.js';
import { noGrad } from '../function.js';
import * as ops from '../ops/index.js';
import type { Rng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { buffer, Module } from './module.js';

function init(backend: Backend, shape: number[], f: () => number): Tensor {
  if (backend.meta) return Tensor.param(backend, shape);
  const n = shape.reduce((p, s) => p * s, 1);
  return Tensor.param(backend, shape, Float32Array.from({ length: n }, f));
}

export class Linear extends Module {
  weight: Tensor;
  bias?: Tensor;
  constructor(backend: Backend, inF: number, outF: number, rng: Rng, bias = true) {
    super();
    this.weight = init(backend, [outF, inF], () => rng.truncNormal(0.02));
    if (bias) this.bias = Tensor.param(backend, [outF]);
  }
  /** Quantization-aware training hooks: fake-quantize the input and the weight. */
  inputQuant: ((x: Tensor) => Tensor) | null = null;
  weightQuant: ((w: Tensor) => Tensor) | null = null;
  forward(x: Tensor): Tensor {
    const xin = this.inputQuant ? this.inputQuant(x) : x;
    const w = this.weightQuant ? this.weightQuant(this.weight) : this.weight;
    return ops.linear(xin, w, this.bias);
  }
}

/** NHWC convolution, weight [Cout, kh, kw, Cin]. */
export class Conv2d extends Module {
  weight: Tensor;
  bias?: Tensor;
  constructor(
    backend: Backend,
    inC: number,
    outC: number,
    readonly kernel: number,
    readonly stride: number,
    readonly pad: number,
    rng: Rng,
    bias = true,
  ) {
    super();
    const std = Math.sqrt(2 / (kernel * kernel * outC));
    this.weight = init(backend, [outC, kernel, kernel, inC], () => rng.normal() * std);
    if (bias) this.bias = Tensor.param(backend, [outC]);
  }
  inputQuant: ((x: Tensor) => Tensor) | null = null;
  weightQuant: ((w: Tensor) => Tensor) | null = null;
  forward(x: Tensor): Tensor {
    const xin = this.inputQuant ? this.inputQuant(x) : x;
    const w = this.weightQuant ? this.weightQuant(this.weight) : this.weight;
    return ops.conv2d(xin, w, this.bias, this.stride, this.pad);
  }
}

/** NHWC depthwise convolution, weight [kh, kw, C]. */
export class DWConv2d extends Module {
  weight: Tensor;
  bias?: Tensor;
  constructor(
    backend: Backend,
    c: number,
    readonly kernel: number,
    readonly stride: number,
    rng: Rng,
    bias = true,
    readonly dilation = 1,
  ) {
    super();
    const std = Math.sqrt(2 / (kernel * kernel));
    this.weight = init(backend, [kernel, kernel, c], () => rng.normal() * std);
    if (bias) this.bias = Tensor.param(backend, [c]);
  }
  weightQuant: ((w: Tensor) => Tensor) | null = null;
  forward(x: Tensor): Tensor {
    const pad = ((this.kernel - 1) >> 1) * this.dilation;
    const w = this.weightQuant ? this.weightQuant(this.weight) : this.weight;
    return ops.dwconv2d(x, w, this.bias, this.stride, pad, this.dilation);
  }
}

export class LayerNorm extends Module {
  weight: Tensor;
  bias: Tensor;
  constructor(
    backend: Backend,
    c: number,
    readonly eps = 1e-6,
  ) {
    super();
    this.weight = Tensor.param(backend, [c], new Float32Array(c).fill(1));
    this.bias = Tensor.param(backend, [c]);
  }
  forward(x: Tensor): Tensor {
    return ops.layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/**
 * BatchNorm over the channel (last) axis; running statistics with PyTorch's momentum 0.1. With
 * `momentum` null the running statistics are the plain average of every batch seen since
 * `resetRunningStats()` (PyTorch's `momentum=None`), which is what re-estimating them after
 * training wants.
 */
export class BatchNorm extends Module {
  weight: Tensor;
  bias: Tensor;
  runningMean: Tensor;
  runningVar: Tensor;
  /** Batches folded into the running statistics since construction or `resetRunningStats()`. */
  batchesTracked = 0;
  constructor(
    backend: Backend,
    readonly c: number,
    readonly eps = 1e-5,
    public momentum: number | null = 0.1,
  ) {
    super();
    this.weight = Tensor.param(backend, [c], new Float32Array(c).fill(1));
    this.bias = Tensor.param(backend, [c]);
    this.runningMean = buffer(backend, [c], 0);
    this.runningVar = buffer(backend, [c], 1);
  }
  /** Running mean 0, variance 1, nothing tracked. */
  resetRunningStats(): void {
    const be = this.weight.backend;
    be.fill(this.runningMean.storage, 0);
    be.fill(this.runningVar.storage, 1);
    this.batchesTracked = 0;
  }
  forward(x: Tensor): Tensor {
    const be = x.backend;
    if (this.training) {
      const stats = { mean: new Float64Array(this.c), var: new Float64Array(this.c) };
      const y = ops.batchNorm(x, this.weight, this.bias, this.eps, stats);
      const n = x.size / this.c;
      const M = be.view(this.runningMean.storage);
      const V = be.view(this.runningVar.storage);
      this.batchesTracked++;
      const m = this.momentum ?? 1 / this.batchesTracked;
      for (let j = 0; j < this.c; j++) {
        M[j] = (1 - m) * M[j] + m * stats.mean[j];
        V[j] = (1 - m) * V[j] + (m * stats.var[j] * n) / Math.max(1, n - 1);
      }
      return y;
    }
    // Eval: y = x·a + b with a = γ/√(var+ε), b = β − mean·a (what folding writes into a conv).
    const { scale, shift } = this.folded();
    return x.mul(scale).add(shift);
  }
  /** The per-channel affine of eval mode, to fold into the preceding conv/linear. */
  folded(): { scale: Tensor; shift: Tensor } {
    const be = this.weight.backend;
    const G = be.view(this.weight.storage);
    const B = be.view(this.bias.storage);
    const M = be.view(this.runningMean.storage);
    const V = be.view(this.runningVar.storage);
    const a = new Float32Array(this.c);
    const b = new Float32Array(this.c);
    for (let j = 0; j < this.c; j++) {
      a[j] = G[j] / Math.sqrt(V[j] + this.eps);
      b[j] = B[j] - M[j] * a[j];
    }
    return noGrad(() => ({ scale: Tensor.from(be, [this.c], a), shift: Tensor.from(be, [this.c], b) }));
  }
}

/** Elementwise dropout with the inverted scaling (×1/(1−p) in training, identity in eval). */
export class Dropout extends Module {
  constructor(
    readonly p: number,
    public rng: Rng,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    // Drawn straight into the mask's storage (no JS array and copy); keep rounded to f32 as the
    // mask always was, whatever the backend's precision.
    const keep = Math.fround(1 / (1 - this.p));
    const m = new Tensor(x.backend, x.shape);
    this.rng.dropMask(x.backend.view(m.storage).subarray(0, m.size), this.p, keep);
    return x.mul(m);
  }
}

/** Stochastic depth: drops a whole residual branch per sample (x is [B, …]). */
export class DropPath extends Module {
  constructor(
    readonly p: number,
    public rng: Rng,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const b = x.shape[0];
    const keep = 1 / (1 - this.p);
    const m = Float32Array.from({ length: b }, () => (this.rng.float() < this.p ? 0 : keep));
    return x.mul(Tensor.from(x.backend, [b, ...x.shape.slice(1).map(() => 1)], m));
  }
}
