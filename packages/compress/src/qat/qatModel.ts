// qatModel.ts — a SegFormer with fake quantization on the input and weight of every Linear and
// convolution (the layers the INT8 runtime runs as integer GEMMs) and on the weights of the
// depthwise convolutions (stored int8, run in f32). Layer names are module paths, the names the
// `.edgeseg` format and the runtime use. The decoder runs its fuse before the upsampling, as the INT8
// runtime does (qatHeadForward).
import { Conv2d, DWConv2d, Linear, ops, type Tensor } from '@edgeseg/autograd';
import { type SegFormer, type SegFormerHead, site } from '@edgeseg/models';
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
    // The float model's decoder quantizes the fuse's input after the upsampling; the runtime
    // quantizes each stage's map before it. Train (and calibrate) what the runtime runs; with
    // quantization off, the float model's own forward.
    const head = model.head;
    const float = head.forward.bind(head);
    const fuseIn = this.act.get('head.fuse');
    if (fuseIn)
      head.forward = (feats: Tensor[]) =>
        fuseIn.mode === 'off' ? float(feats) : qatHeadForward(head, fuseIn, feats);
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

/**
 * SegFormerHead.forward with the fuse before the upsampling, as the INT8 runtime runs it
 * (runtime/src/executor/segformerExecutor.ts): fuse(concat(up(c_i))) = Σ_i up(W_i·c_i) + b in real
 * arithmetic (a bilinear resize and a 1×1 conv act on different axes), but the fuse's input is
 * quantized where it is multiplied — each stage's c_i at its own resolution, before the upsampling.
 * The four maps are quantized as one tensor: one range observation (and one LSQ gradient scale) per
 * batch, with the fuse's single per-tensor scale and zero point, as before.
 */
function qatHeadForward(head: SegFormerHead, fuseIn: ActQuantizer, feats: Tensor[]): Tensor {
  const [b, h, w] = feats[0].shape;
  const cs = feats.map((f, i) => site(`linear_c${i + 1}`, () => head.project(i, f)));
  const fused = site('fuse', () => {
    const sizes = cs.map((c) => c.size / b);
    const q = fuseIn.apply(
      ops.concat(
        cs.map((c, i) => c.reshape([b, sizes[i]])),
        1,
      ),
    );
    let at = 0;
    const qs = cs.map((c, i) => {
      const s = ops.slice(q, 1, at, sizes[i]).reshape(c.shape);
      at += sizes[i];
      return s;
    });
    const fuse = head.fuse;
    const wt = fuse.weightQuant ? fuse.weightQuant(fuse.weight) : fuse.weight;
    // Stage i's columns of the fuse weight: the float model concatenates stage 4 first.
    const cols = (i: number) =>
      ops.slice(
        wt,
        1,
        cs.slice(i + 1).reduce((a, c) => a + c.shape[3], 0),
        cs[i].shape[3],
      );
    // Stage 1 carries the bias; stages 2–4 are upsampled after their slice, added in stage order.
    let sum = fuse.bias ? ops.linear(qs[0], cols(0), fuse.bias) : ops.linear(qs[0], cols(0));
    for (let i = 1; i < qs.length; i++)
      sum = sum.add(site('resize', () => ops.resize(ops.linear(qs[i], cols(i)), h, w)));
    return sum;
  });
  return head.classify(fused);
}
