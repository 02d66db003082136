import { describe, expect, it } from 'vitest';
import { chooseCrop, photometricNormalize, sampleImage, sampleLabel, type Window } from './augment.js';
import { Rng } from './rng.js';

const full = (h: number, w: number, flip = false): Window => ({
  scaledH: h,
  scaledW: w,
  offY: 0,
  offX: 0,
  outH: h,
  outW: w,
  flip,
});

describe('resampling', () => {
  it('upsamples bilinearly with half-pixel centres (PyTorch align_corners=false)', () => {
    // F.interpolate([[1,2],[3,4]], size=(4,4), mode='bilinear', align_corners=False)
    const src = Uint8Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    const out = new Float32Array(3 * 16);
    sampleImage(src, 2, 2, full(4, 4), out);
    expect(Array.from(out.subarray(0, 16))).toEqual([
      1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4,
    ]);
    expect(Array.from(out.subarray(32, 48))).toEqual(Array.from(out.subarray(0, 16)));
  });

  it('downsamples 4→2 by averaging the two centre pixels (no antialias), as PyTorch does', () => {
    const src = Uint8Array.from([0, 10, 20, 30].flatMap((v) => [v, v, v]));
    const out = new Float32Array(3 * 2);
    sampleImage(src, 4, 1, full(1, 2), out);
    expect(Array.from(out.subarray(0, 2))).toEqual([5, 25]);
  });

  it('resizes labels by nearest neighbour with half-pixel centres and never invents values', () => {
    const src = Uint8Array.from([3, 5, 7]);
    const out = new Uint8Array(6);
    sampleLabel(src, 3, 1, full(1, 6), out);
    expect(Array.from(out)).toEqual([3, 3, 5, 5, 7, 7]);
    const down = new Uint8Array(2);
    sampleLabel(Uint8Array.from([1, 2, 3, 4]), 4, 1, full(1, 2), down);
    expect(Array.from(down)).toEqual([2, 4]); // centres 1.0 and 3.0 → floor → pixels 1 and 3
  });

  it('flips and pads: outside the resized frame the label is 255 and the image is the pad value', () => {
    const src = Uint8Array.from([1, 2]);
    const out = new Uint8Array(3);
    sampleLabel(src, 2, 1, { scaledH: 1, scaledW: 2, offY: 0, offX: 0, outH: 1, outW: 3, flip: true }, out);
    expect(Array.from(out)).toEqual([255, 2, 1]);
  });
});

describe('chooseCrop', () => {
  it('redraws crops dominated by one class (cat_max_ratio) and is deterministic', () => {
    // 40×40 label: left 36 columns class 0, right 4 columns class 1. A 10×10 crop is single-class unless it
    // overlaps the right edge.
    const lab = new Uint8Array(40 * 40).map((_, i) => (i % 40 >= 36 ? 1 : 0));
    const scratch = new Uint8Array(100);
    const a = chooseCrop(lab, 40, 40, 40, 40, 10, 10, 0.75, new Rng(3), scratch);
    const b = chooseCrop(lab, 40, 40, 40, 40, 10, 10, 0.75, new Rng(3), scratch);
    expect(a).toEqual(b);
    let accepted = 0;
    for (let s = 0; s < 50; s++) {
      const c = chooseCrop(lab, 40, 40, 40, 40, 10, 10, 0.75, new Rng(s), scratch);
      if (c.offX >= 29) accepted++; // the crop holds ≥ 3 columns (≥ 25%) of class 1
    }
    // Without the rule 2 of 31 offsets qualify (~3 of 50 crops); with up to 10 redraws about half do.
    expect(accepted).toBeGreaterThan(15);
  });
});

describe('photometricNormalize', () => {
  it('normalizes with mean/std and is the identity colour map without an Rng', () => {
    const img = Float32Array.from([10, 20, 30, 40, 50, 60]);
    photometricNormalize(img, 0, 2, null, [10, 20, 30], [2, 4, 5]);
    expect(Array.from(img)).toEqual([0, 5, 2.5, 5, 4, 6]); // planar: r0 r1 g0 g1 b0 b1
  });

  it('keeps values in range and depends only on the Rng', () => {
    const base = Float32Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
    const a = base.slice();
    const b = base.slice();
    photometricNormalize(a, 0, 100, new Rng(9), [0, 0, 0], [1, 1, 1]);
    photometricNormalize(b, 0, 100, new Rng(9), [0, 0, 0], [1, 1, 1]);
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(255);
  });
});
