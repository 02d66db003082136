import { BatchNorm, Module, type Tensor, WasmBackend } from '@edgeseg/autograd';
import type { Batch } from '@edgeseg/data';
import { describe, expect, it } from 'vitest';
import { recalibrateBatchNorm } from './recalibrateBn.js';

const be = new WasmBackend(undefined, { isa: 'simd128' });

class TwoBn extends Module {
  a = new BatchNorm(be, 3, 1e-5, 0.01);
  b = new BatchNorm(be, 3, 1e-5, 0.01);
  forward(x: Tensor): Tensor {
    return this.b.forward(this.a.forward(x).mul(2));
  }
}

/** Batch `step`: one image 1×2 whose channel k holds (step + k, 3·(step + k)). */
const source = {
  reads: [] as number[],
  async get(step: number): Promise<Batch> {
    this.reads.push(step);
    const images = new Float32Array(3 * 2);
    for (let k = 0; k < 3; k++) images.set([step + k, 3 * (step + k)], k * 2);
    return { images, labels: new Uint8Array(2), names: ['x'], shape: [1, 3, 1, 2] };
  },
};

describe('recalibrateBatchNorm', () => {
  it('replaces stale running statistics by the average over the given batches, then restores the model', async () => {
    const m = new TwoBn();
    m.eval();
    const n = await recalibrateBatchNorm(m, be, source, { batches: 4, firstStep: 10 });
    expect(n).toBe(2);
    expect(source.reads.slice(0, 4)).toEqual([10, 11, 12, 13]);
    // Channel k of step s has mean 2(s+k) and unbiased variance 2(s+k)²; averaged over s = 10..13.
    const mean = m.a.runningMean.toArray();
    const v = m.a.runningVar.toArray();
    for (let k = 0; k < 3; k++) {
      const ss = [10, 11, 12, 13].map((s) => s + k);
      expect(mean[k]).toBeCloseTo(ss.reduce((t, s) => t + 2 * s, 0) / 4, 3);
      expect(v[k]).toBeCloseTo(ss.reduce((t, s) => t + 2 * s * s, 0) / 4, 1);
    }
    // The second layer sees normalized inputs (±1)·2: mean 0, unbiased variance 8.
    for (const x of m.b.runningVar.toArray()) expect(x).toBeCloseTo(8, 2);
    expect(m.training).toBe(false);
    expect(m.a.momentum).toBe(0.01);
    expect(m.a.batchesTracked).toBe(4);
  });

  it('rejects a non-positive batch count', async () => {
    await expect(recalibrateBatchNorm(new TwoBn(), be, source, { batches: 0 })).rejects.toThrow(
      /positive integer/,
    );
  });
});
