// evaluate.ts — mIoU of a model on a split, Cityscapes protocol (one confusion matrix over the whole
// split): logits are resized to the label size (bilinear, half-pixel centres) and argmaxed.
import { type Backend, type Module, noGrad, ops, type Tensor, tidy } from '@edgeseg/autograd';
import { type CityscapesDataset, ConfusionMatrix, evalBatches, type SegmentationScores } from '@edgeseg/data';
import { imagesToTensor } from './batchSource.js';

export interface EvalResult extends SegmentationScores {
  frames: number;
  seconds: number;
}

/** Argmax over the last axis of NHWC logits → class ids. */
export function argmaxClasses(logits: Tensor): Uint8Array {
  const c = logits.shape[logits.shape.length - 1];
  const v = logits.backend.view(logits.storage);
  const n = logits.size / c;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = v[i * c];
    for (let k = 1; k < c; k++) {
      if (v[i * c + k] > bv) {
        bv = v[i * c + k];
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

export async function evaluate(
  model: Module & { forward(x: Tensor): Tensor },
  be: Backend,
  ds: CityscapesDataset,
  o: { size: [number, number]; batchSize?: number; onProgress?: (done: number, total: number) => void },
): Promise<EvalResult> {
  const wasTraining = model.training;
  model.eval();
  const cm = new ConfusionMatrix();
  const t0 = performance.now();
  let frames = 0;
  for await (const b of evalBatches(ds, { batchSize: o.batchSize ?? 4, size: o.size })) {
    tidy(() =>
      noGrad(() => {
        const logits = model.forward(imagesToTensor(be, b));
        const up = ops.resize(logits, b.shape[2], b.shape[3]);
        cm.update(b.labels, argmaxClasses(up));
      }),
    );
    frames += b.shape[0];
    o.onProgress?.(frames, ds.length);
  }
  model.train(wasTraining);
  return { ...cm.scores(), frames, seconds: (performance.now() - t0) / 1000 };
}
