import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from './metrics.js';

describe('ConfusionMatrix', () => {
  it('computes IoU, mIoU and pixel accuracy of a hand-computed 3-class matrix', () => {
    // rows = ground truth, columns = prediction
    const m = ConfusionMatrix.fromRows([
      [5, 1, 0],
      [2, 3, 1],
      [0, 0, 4],
    ]);
    const s = m.scores();
    // class 0: TP 5, FN 1, FP 2 → 5/8; class 1: TP 3, FN 3, FP 1 → 3/7; class 2: TP 4, FN 0, FP 1 → 4/5
    expect(s.iou[0]).toBeCloseTo(5 / 8, 12);
    expect(s.iou[1]).toBeCloseTo(3 / 7, 12);
    expect(s.iou[2]).toBeCloseTo(4 / 5, 12);
    expect(s.miou).toBeCloseTo((5 / 8 + 3 / 7 + 4 / 5) / 3, 12);
    expect(s.pixelAccuracy).toBeCloseTo(12 / 16, 12);
    expect(s.pixels).toBe(16);
  });

  it('skips a class with TP+FP+FN = 0 but counts a class that is only predicted (IoU 0)', () => {
    const m = ConfusionMatrix.fromRows([
      [4, 0, 1, 0],
      [0, 0, 0, 0], // class 1: never in ground truth, never predicted → skipped
      [0, 0, 2, 0],
      [0, 0, 0, 0], // class 3: never in ground truth …
    ]);
    const s = m.scores();
    expect(s.iou[1]).toBeNaN();
    expect(s.iou[3]).toBeNaN();
    expect(s.classesCounted).toBe(2);
    expect(s.miou).toBeCloseTo((4 / 5 + 2 / 3) / 2, 12);
    const m2 = ConfusionMatrix.fromRows([
      [4, 0, 1, 1], // … but predicted once here → FP 1, IoU 0, enters the mean
      [0, 0, 0, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    const s2 = m2.scores();
    expect(s2.iou[3]).toBe(0);
    expect(s2.classesCounted).toBe(3);
    expect(s2.miou).toBeCloseTo((4 / 6 + 2 / 3 + 0) / 3, 12);
  });

  it('accumulates over images and ignores ground-truth 255 (no false positive there)', () => {
    const m = new ConfusionMatrix(3);
    m.update([0, 0, 1, 255, 255], [0, 1, 1, 2, 0]);
    m.update([2, 2, 255], [2, 0, 1]);
    expect(Array.from(m.counts)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 1]);
    const s = m.scores();
    expect(s.iou[2]).toBeCloseTo(1 / 2, 12); // TP 1, FN 1, FP 0 (the prediction 2 on a 255 pixel is not counted)
    expect(s.iou[0]).toBeCloseTo(1 / 3, 12); // TP 1, FN 1, FP 1
    expect(s.pixels).toBe(5);
  });

  it('uses one matrix over the split, not a mean of per-image scores', () => {
    const whole = new ConfusionMatrix(2)
      .update([0, 0, 0, 1], [0, 0, 0, 0])
      .update([1, 1, 1, 1], [1, 1, 1, 1]);
    // per image: img1 IoU0 = 3/4, IoU1 = 0/1 → mean .375; img2 only class 1 → 1. Whole split: class 0 3/4, class 1 4/5.
    expect(whole.scores().miou).toBeCloseTo((3 / 4 + 4 / 5) / 2, 12);
    const a = new ConfusionMatrix(2).update([0, 0, 0, 1], [0, 0, 0, 0]);
    const b = new ConfusionMatrix(2).update([1, 1, 1, 1], [1, 1, 1, 1]);
    expect(Array.from(a.merge(b).counts)).toEqual(Array.from(whole.counts));
  });

  it('rejects out-of-range values and length mismatches with clear errors', () => {
    const m = new ConfusionMatrix(3);
    expect(() => m.update([0, 1], [0])).toThrow('Expected prediction length 2, got 1.');
    expect(() => m.update([0, 3], [0, 0])).toThrow(
      /index 1\. Expected 0\.\.2 \(or 255 in ground truth\), got ground truth 3/,
    );
    expect(() => m.update([0, 1], [0, 255])).toThrow(/got prediction 255/);
  });

  it('returns NaN mIoU when nothing was counted', () => {
    expect(new ConfusionMatrix(19).scores().miou).toBeNaN();
  });
});
