// quantizers.ts — the fake quantizers of quantization-aware training (DESIGN §3.1 INT8 scheme):
// activations int8 asymmetric per tensor (range from an observer, then an LSQ-learned step size with a
// fixed zero point), weights int8 symmetric per output channel in [−127, 127] (zero point 0, what
// TensorRT requires), step sizes learned by LSQ with the 1/√(N·Q_P) gradient scale.
import { type Backend, noGrad, ops, Tensor } from '@edgeseg/autograd';

export type Observer = 'minmax' | 'ema' | 'percentile';
export type Rounding = 'nearest' | 'floor';

const QMIN = -128;
const QMAX = 127;
const WMAX = 127;

/** Asymmetric int8 parameters covering [lo, hi] (extended to include 0, as real 0 must be exact). */
export function asymmetricParams(lo: number, hi: number): { scale: number; zeroPoint: number } {
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  const scale = Math.max((b - a) / (QMAX - QMIN), 1e-8);
  const zeroPoint = Math.max(QMIN, Math.min(QMAX, Math.round(QMIN - a / scale)));
  return { scale, zeroPoint };
}

function percentileRange(v: Float32Array | Float64Array, n: number, p: number): [number, number] {
  // A strided sample keeps this cheap on large activations; the tails it estimates are what matter.
  const step = Math.max(1, Math.floor(n / 65536));
  const s: number[] = [];
  for (let i = 0; i < n; i += step) s.push(v[i]);
  s.sort((x, y) => x - y);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
  return [at(1 - p), at(p)];
}

/**
 * Adam moves a parameter by about its learning rate per step whatever the gradient's scale (LSQ's
 * 1/√(N·Qp) gradient scale is normalized away), so a small step size can be pushed through zero, which
 * no integer model can represent. Training clamps every step size to this fraction of its initial value.
 */
export const SCALE_FLOOR = 0.01;

export class ActQuantizer {
  mode: 'observe' | 'fake' | 'off' = 'off';
  scale: Tensor;
  zeroPoint = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private seen = 0;
  /** Smallest step size training may reach (a fraction of the calibrated one). */
  private floor = 1e-8;

  constructor(
    be: Backend,
    readonly name: string,
    readonly observer: Observer = 'ema',
    readonly rounding: Rounding = 'nearest',
    readonly percentile = 0.9999,
  ) {
    this.scale = Tensor.param(be, [1], [1], `${name}.act_scale`);
  }

  /** Record the range of x (observe), fake-quantize it (fake) or pass it (off). */
  apply(x: Tensor): Tensor {
    if (this.mode === 'off') return x;
    if (this.mode === 'observe') {
      const v = x.backend.view(x.storage);
      let lo: number;
      let hi: number;
      if (this.observer === 'percentile') [lo, hi] = percentileRange(v, x.size, this.percentile);
      else {
        lo = Number.POSITIVE_INFINITY;
        hi = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < x.size; i++) {
          const e = v[i];
          if (e < lo) lo = e;
          if (e > hi) hi = e;
        }
      }
      if (this.observer === 'minmax') {
        this.lo = Math.min(this.lo, lo);
        this.hi = Math.max(this.hi, hi);
      } else if (this.seen === 0) {
        this.lo = lo;
        this.hi = hi;
      } else {
        // EMA of per-batch extremes (and of per-batch percentiles): one outlier batch cannot set the range.
        this.lo = 0.9 * this.lo + 0.1 * lo;
        this.hi = 0.9 * this.hi + 0.1 * hi;
      }
      this.seen++;
      return x;
    }
    const perExample = x.size / x.shape[0];
    return ops
      .fakeQuant(x.reshape([1, x.size]), this.scale, {
        zeroPoint: this.zeroPoint,
        qmin: QMIN,
        qmax: QMAX,
        gradScale: 1 / Math.sqrt(perExample * QMAX),
        rounding: this.rounding,
      })
      .reshape(x.shape);
  }

  /** Turn the observed range into the initial step size and the zero point. */
  finishCalibration(): void {
    if (this.seen === 0) throw new Error(`${this.name}: no calibration batch reached this layer.`);
    const { scale, zeroPoint } = asymmetricParams(this.lo, this.hi);
    this.zeroPoint = zeroPoint;
    this.scale.backend.view(this.scale.storage)[0] = scale;
    this.floor = Math.max(scale * SCALE_FLOOR, 1e-8);
  }

  /** Keep the learned step size positive (see SCALE_FLOOR). */
  clampScale(): void {
    const v = this.scale.backend.view(this.scale.storage);
    if (!(v[0] >= this.floor)) v[0] = this.floor;
  }

  get value(): { scale: number; zeroPoint: number } {
    return { scale: this.scale.backend.view(this.scale.storage)[0], zeroPoint: this.zeroPoint };
  }
}

/** Symmetric per-output-channel weight quantizer (axis 0 of the weight). */
export class WeightQuantizer {
  enabled = false;
  scale: Tensor;
  private floors = new Float32Array(0);

  constructor(
    readonly weight: Tensor,
    readonly name: string,
    readonly rounding: Rounding = 'nearest',
    /** Output channels along axis 0 (linear, conv) or along the last axis (depthwise [kh, kw, C]). */
    readonly lastAxis = false,
  ) {
    const outC = lastAxis ? weight.shape[weight.shape.length - 1] : weight.shape[0];
    this.scale = Tensor.param(weight.backend, [outC], new Float32Array(outC).fill(1), `${name}.w_scale`);
    this.reset();
  }

  /** Max-abs initialization per channel (s = max|w|/127): no weight clips at the start of QAT. */
  reset(): void {
    noGrad(() => {
      const w = this.weight.backend.view(this.weight.storage);
      const s = this.weight.backend.view(this.scale.storage);
      const outC = this.scale.size;
      const m = new Float64Array(outC);
      for (let i = 0; i < this.weight.size; i++) {
        const c = this.lastAxis ? i % outC : Math.floor(i / (this.weight.size / outC));
        m[c] = Math.max(m[c], Math.abs(w[i]));
      }
      for (let c = 0; c < outC; c++) s[c] = Math.max(m[c] / WMAX, 1e-8);
      this.floors = Float32Array.from(s.subarray(0, outC), (x) => Math.max(x * SCALE_FLOOR, 1e-10));
    });
  }

  /** Keep every learned step size positive (see SCALE_FLOOR). */
  clampScale(): void {
    const s = this.scale.backend.view(this.scale.storage);
    for (let c = 0; c < this.floors.length; c++) if (!(s[c] >= this.floors[c])) s[c] = this.floors[c];
  }

  apply(w: Tensor): Tensor {
    if (!this.enabled) return w;
    const p = {
      zeroPoint: 0,
      qmin: -WMAX,
      qmax: WMAX,
      gradScale: 1 / Math.sqrt(w.size * WMAX),
      rounding: this.rounding,
    };
    if (!this.lastAxis) return ops.fakeQuant(w, this.scale, p);
    // Depthwise [kh, kw, C]: quantize along the channel axis via a transposed view.
    const c = w.shape[w.shape.length - 1];
    const t = w.reshape([w.size / c, c]).transpose(0, 1);
    return ops.fakeQuant(t, this.scale, p).transpose(0, 1).reshape(w.shape);
  }

  /** Integer weights and their scales (what the converter writes). */
  quantized(): { q: Int8Array; scales: Float32Array } {
    const w = this.weight.backend.view(this.weight.storage);
    const scales = Float32Array.from(
      this.scale.backend.view(this.scale.storage).subarray(0, this.scale.size),
    );
    const outC = scales.length;
    const q = new Int8Array(this.weight.size);
    for (let i = 0; i < q.length; i++) {
      const c = this.lastAxis ? i % outC : Math.floor(i / (this.weight.size / outC));
      const v = Math.fround(w[i] / scales[c]);
      const r = this.rounding === 'floor' ? Math.floor(v) : roundHalfEven(v);
      q[i] = Math.max(-WMAX, Math.min(WMAX, r));
    }
    return { q, scales };
  }
}

export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}
