// A tiny SegFormer trained on a handful of SynthCity frames: it must overfit them (the loss falls by
// 90%), and the same seed must give the same loss curve to the last bit.
import { AdamW, ops, Rng, Tensor, tidy, WasmBackend } from '@edgeseg/autograd';
import { IMAGENET_MEAN, IMAGENET_STD, labelIdsToTrainIds, renderSynthCity } from '@edgeseg/data';
import { describe, expect, it } from 'vitest';
import { archFor } from './arch.js';
import { SegFormer } from './segformer.js';

const H = 32;
const W = 64;
const N = 4;

function frames() {
  const x = new Float32Array(N * H * W * 3);
  const y = new Uint8Array(N * H * W);
  for (let i = 0; i < N; i++) {
    const f = renderSynthCity(W, H, 100 + i);
    for (let p = 0; p < H * W; p++) {
      for (let c = 0; c < 3; c++)
        x[(i * H * W + p) * 3 + c] = (f.image[p * 3 + c] - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
    }
    y.set(labelIdsToTrainIds(f.labelIds, W), i * H * W);
  }
  return { x, y };
}

function train(be: WasmBackend, steps: number, seed: number): number[] {
  const { x, y } = frames();
  const model = new SegFormer(be, archFor('segformer-tiny'), new Rng(seed));
  const opt = new AdamW(model.parameters(), 4e-3, 0.01);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    losses.push(
      tidy(() => {
        opt.zeroGrad();
        const logits = model.forward(Tensor.from(be, [N, H, W, 3], x));
        const loss = ops.crossEntropy(ops.resize(logits, H, W), y);
        loss.backward();
        opt.update();
        return loss.item();
      }),
    );
  }
  model.dispose();
  return losses;
}

describe('tiny SegFormer training', () => {
  const be = new WasmBackend(undefined, { isa: 'simd128' });
  it('overfits four SynthCity frames (loss falls by ≥ 90%) with an identical curve for the same seed', () => {
    const a = train(be, 200, 1);
    expect(a[a.length - 1]).toBeLessThan(0.1 * a[0]);
    const b = train(be, 200, 1);
    expect(b).toEqual(a);
  }, 120_000);
});
