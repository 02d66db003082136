// qatModel.ts — a SegFormer with fake quantization on the input and weight of every Linear and
// convolution (the layers the INT8 runtime runs as integer GEMMs) and on the weights of the
// depthwise convolutions (stored int8, run in f32). Layer names are module paths, the names the
// `.edgeseg` format and the runtime use.
import { Conv2d, DWConv2d, Linear, type Tensor } from '@edgeseg/autograd';
import type { SegFormer } from '@edgeseg/models';
import { ActQuantizer, type Observer, type Rounding, WeightQuantizer } from './quantizers.js';

export interface QatOptions {
  observer?: Observer;
  rounding?: Rounding;
}

export class QatSegFormer {
  readonly act = new Map<string, ActQuantizer>();
  readonly weight = new Map<string, WeightQuantizer>();

  constructor(
    readonly model: SegFormer,
    readonly o: QatOptions = {},
  ) {
    const be = model.stages[0].embed.proj.weight.backend;
    for (const [name, m] of model.namedModules()) {
      if (m instanceof Linear || m instanceof Conv2d) {
        const aq = new ActQuantizer(be, name, o.observer ?? 'ema', o.rounding ?? 'nearest');
        const wq = new WeightQuantizer(m.weight, name, o.rounding ?? 'nearest');
        this.act.set(name, aq);
        this.weight.set(name, wq);
        m.inputQuant = (x: Tensor) => aq.apply(x);
        m.weightQuant = (w: Tensor) => wq.apply(w);
      } else if (m instanceof DWConv2d) {
        const wq = new WeightQuantizer(m.weight, name, o.rounding ?? 'nearest', true);
        this.weight.set(name, wq);
        m.weightQuant = (w: Tensor) => wq.apply(w);
      }
    }
  }

  /** observe: record activation ranges, no quantization; fake: quantize-dequantize; off: float. */
  setMode(mode: 'observe' | 'fake' | 'off'): void {
    for (const a of this.act.values()) a.mode = mode;
    for (const w of this.weight.values()) w.enabled = mode === 'fake';
  }

  finishCalibration(): void {
    for (const a of this.act.values()) a.finishCalibration();
  }

  /** The learnable step sizes (LSQ). */
  scales(): Tensor[] {
    return [...[...this.act.values()].map((a) => a.scale), ...[...this.weight.values()].map((w) => w.scale)];
  }

  /** After each optimizer step: step sizes stay positive. */
  clampScales(): void {
    for (const a of this.act.values()) a.clampScale();
    for (const w of this.weight.values()) w.clampScale();
  }

  zeroPoints(): Record<string, number> {
    return Object.fromEntries([...this.act].map(([k, a]) => [k, a.zeroPoint]));
  }

  setZeroPoints(z: Record<string, number>): void {
    for (const [k, a] of this.act) {
      const v = z[k];
      if (v === undefined) throw new Error(`qat: no zero point for "${k}" in the checkpoint.`);
      a.zeroPoint = v;
    }
  }
}
