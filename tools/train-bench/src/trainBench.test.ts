import { describe, expect, it } from 'vitest';
import { benchTraining } from './run.js';

describe('train bench', () => {
  it('times a tiny model and attributes time to llops', () => {
    const r = benchTraining({
      arch: 'segformer-tiny',
      height: 32,
      width: 64,
      batch: 2,
      steps: 2,
      warmup: 1,
      rssSteps: 0,
      seed: 1,
    });
    expect(r.imagesPerSec).toBeGreaterThan(0);
    expect(r.llopMs.gemm).toBeGreaterThan(0);
    expect(r.kernelShare).toBeGreaterThan(0);
    expect(r.kernelShare).toBeLessThan(1);
    expect(r.params).toBeGreaterThan(100_000);
  });
});
