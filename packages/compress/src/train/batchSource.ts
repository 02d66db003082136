// batchSource.ts — training batches addressed by step number, so a resumed run sees exactly the
// batches an uninterrupted one would: step s reads batch (s mod batchesPerEpoch) of epoch
// ⌊s / batchesPerEpoch⌋, each frame augmented by an RNG seeded from (seed, epoch, frame), the
// data package's own scheme. The next batch is decoded while the current one trains.

import { type Backend, Tensor } from '@edgeseg/autograd';
import {
  augmentFrame,
  type Batch,
  type CityscapesDataset,
  epochOrder,
  mixSeed,
  Rng,
  type TrainOptions,
} from '@edgeseg/data';

export class BatchSource {
  private pending = new Map<number, Promise<Batch>>();

  constructor(
    readonly ds: CityscapesDataset,
    readonly opts: TrainOptions,
  ) {
    if (ds.length < opts.batchSize) {
      throw new Error(
        `training data: ${ds.length} frames cannot fill a batch of ${opts.batchSize}. Expected at least ${opts.batchSize} frames.`,
      );
    }
  }

  get batchesPerEpoch(): number {
    return Math.floor(this.ds.length / this.opts.batchSize);
  }

  private async load(step: number): Promise<Batch> {
    const epoch = Math.floor(step / this.batchesPerEpoch);
    const within = step % this.batchesPerEpoch;
    const seed = this.opts.seed ?? 0;
    const order = epochOrder(this.ds.length, seed, epoch);
    const idx = order.slice(within * this.opts.batchSize, (within + 1) * this.opts.batchSize);
    const samples = await Promise.all(
      idx.map(async (i) =>
        augmentFrame(await this.ds.readFrame(i), this.opts, new Rng(mixSeed(seed, epoch, i))),
      ),
    );
    const { h, w } = samples[0];
    const images = new Float32Array(samples.length * 3 * h * w);
    const labels = new Uint8Array(samples.length * h * w);
    samples.forEach((s, k) => {
      images.set(s.image, k * 3 * h * w);
      labels.set(s.labels, k * h * w);
    });
    return { images, labels, names: samples.map((s) => s.name), shape: [samples.length, 3, h, w] };
  }

  /** The batch of `step`; also starts decoding the next one. */
  async get(step: number): Promise<Batch> {
    const p = this.pending.get(step) ?? this.load(step);
    this.pending.delete(step);
    for (const k of this.pending.keys()) if (k < step) this.pending.delete(k);
    if (!this.pending.has(step + 1)) {
      const next = this.load(step + 1);
      next.catch(() => {});
      this.pending.set(step + 1, next);
    }
    return p;
  }
}

/** NCHW batch images → an NHWC tensor (the models are channels-last). */
export function imagesToTensor(be: Backend, b: Batch): Tensor {
  const [n, c, h, w] = b.shape;
  const t = new Tensor(be, [n, h, w, c]);
  const out = be.view(t.storage);
  const src = b.images;
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const base = i * c * plane;
    const o = i * plane * c;
    for (let p = 0; p < plane; p++) {
      for (let k = 0; k < c; k++) out[o + p * c + k] = src[base + k * plane + p];
    }
  }
  return t;
}
