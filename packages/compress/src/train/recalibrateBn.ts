// recalibrateBn.ts — re-estimate every BatchNorm's running statistics on the final weights
// ("precise BN"). A short schedule moves the weights faster than a slow running average (the
// MobileNetV3 recipe's momentum 0.01) can follow, so the eval-mode statistics describe weights that
// no longer exist and eval mIoU collapses although training-mode outputs are good. Averaging the
// batch statistics of a few batches under the final weights, with no gradient, fixes that.

import { type Backend, BatchNorm, type Module, noGrad, type Tensor, tidy } from '@edgeseg/autograd';
import { type BatchSource, imagesToTensor } from './batchSource.js';

/**
 * Reset and re-estimate the running statistics of every BatchNorm in `model` from `batches`
 * training batches, read from `source` starting at step `firstStep`. Returns how many BatchNorm
 * layers were recalibrated (0: nothing to do, the source is not read).
 */
export async function recalibrateBatchNorm(
  model: Module & { forward(x: Tensor): Tensor },
  be: Backend,
  source: Pick<BatchSource, 'get'>,
  o: { batches: number; firstStep?: number; onProgress?: (done: number, total: number) => void },
): Promise<number> {
  if (!Number.isInteger(o.batches) || o.batches < 1) {
    throw new Error(`recalibrateBatchNorm: batches must be a positive integer, got ${o.batches}.`);
  }
  const bns = model.modules().filter((m): m is BatchNorm => m instanceof BatchNorm);
  if (bns.length === 0) return 0;
  const momenta = bns.map((b) => b.momentum);
  const wasTraining = model.training;
  model.train(true);
  try {
    for (const b of bns) {
      b.resetRunningStats();
      b.momentum = null;
    }
    for (let i = 0; i < o.batches; i++) {
      const batch = await source.get((o.firstStep ?? 0) + i);
      tidy(() => noGrad(() => model.forward(imagesToTensor(be, batch))));
      o.onProgress?.(i + 1, o.batches);
    }
  } finally {
    bns.forEach((b, k) => {
      b.momentum = momenta[k];
    });
    model.train(wasTraining);
  }
  return bns.length;
}
