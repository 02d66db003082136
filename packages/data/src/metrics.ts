// metrics.ts — the Cityscapes protocol (cityscapesScripts evalPixelLevelSemanticLabeling, mmseg IoUMetric):
// one confusion matrix accumulated over the whole split (never averaged per image), rows = ground truth,
// columns = prediction, ground-truth pixels with trainId 255 skipped entirely (so they cost no false
// positive); IoU_c = TP / (TP + FP + FN); a class with TP + FP + FN = 0 is NaN and left out of the mean.
import { CLASS_NAMES, IGNORE_INDEX, NUM_CLASSES } from './labels.js';

export interface SegmentationScores {
  /** Per class IoU in trainId order; NaN where the class is absent from both prediction and ground truth. */
  iou: number[];
  /** Mean of the non-NaN IoUs (NaN if every class is absent). */
  miou: number;
  /** Correct / labelled pixels. */
  pixelAccuracy: number;
  /** Labelled (non-ignored) pixels counted. */
  pixels: number;
  /** Classes that entered the mean. */
  classesCounted: number;
}

export class ConfusionMatrix {
  /** counts[gt * n + pred]; f64 so a split of any realistic size stays exact (< 2^53 pixels). */
  readonly counts: Float64Array;

  constructor(readonly numClasses: number = NUM_CLASSES) {
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /**
   * Adds one image (or batch): `gt` and `pred` are trainIds of equal length. Ground truth 255 is skipped;
   * any other out-of-range value, in either, is an error (a prediction must name a class).
   */
  update(gt: ArrayLike<number>, pred: ArrayLike<number>): this {
    if (gt.length !== pred.length) {
      throw new Error(
        `ConfusionMatrix.update: length mismatch. Expected prediction length ${gt.length}, got ${pred.length}.`,
      );
    }
    const n = this.numClasses;
    // Count into an i32 scratch first (fast), then fold into the f64 totals.
    const local = new Int32Array(n * n);
    for (let i = 0; i < gt.length; i++) {
      const g = gt[i];
      if (g === IGNORE_INDEX) continue;
      const p = pred[i];
      if (!(g >= 0 && g < n) || !(p >= 0 && p < n)) {
        const bad = !(g >= 0 && g < n) ? `ground truth ${g}` : `prediction ${p}`;
        throw new Error(
          `ConfusionMatrix.update: value out of range at index ${i}. Expected 0..${n - 1} (or 255 in ground truth), got ${bad}.`,
        );
      }
      local[g * n + p]++;
    }
    for (let k = 0; k < local.length; k++) this.counts[k] += local[k];
    return this;
  }

  /** Adds another matrix (e.g. from another worker). */
  merge(other: ConfusionMatrix): this {
    if (other.numClasses !== this.numClasses) {
      throw new Error(
        `ConfusionMatrix.merge: class count mismatch. Expected ${this.numClasses}, got ${other.numClasses}.`,
      );
    }
    for (let k = 0; k < this.counts.length; k++) this.counts[k] += other.counts[k];
    return this;
  }

  /** Builds a matrix from rows of counts (gt-major), e.g. for hand-computed tests. */
  static fromRows(rows: number[][]): ConfusionMatrix {
    const m = new ConfusionMatrix(rows.length);
    rows.forEach((r, g) => {
      if (r.length !== rows.length) {
        throw new Error(
          `ConfusionMatrix.fromRows: not square. Expected ${rows.length} columns in row ${g}, got ${r.length}.`,
        );
      }
      r.forEach((v, p) => {
        m.counts[g * rows.length + p] = v;
      });
    });
    return m;
  }

  scores(): SegmentationScores {
    const n = this.numClasses;
    const iou: number[] = [];
    let correct = 0;
    let total = 0;
    for (let c = 0; c < n; c++) {
      let rowSum = 0;
      let colSum = 0;
      for (let k = 0; k < n; k++) {
        rowSum += this.counts[c * n + k];
        colSum += this.counts[k * n + c];
      }
      const tp = this.counts[c * n + c];
      const denom = rowSum + colSum - tp; // TP + FN + FP
      iou.push(denom === 0 ? Number.NaN : tp / denom);
      correct += tp;
      total += rowSum;
    }
    const counted = iou.filter((x) => !Number.isNaN(x));
    return {
      iou,
      miou: counted.length ? counted.reduce((a, b) => a + b, 0) / counted.length : Number.NaN,
      pixelAccuracy: total ? correct / total : Number.NaN,
      pixels: total,
      classesCounted: counted.length,
    };
  }
}

/** Formats scores as a small table (class, IoU %), for logs and READMEs. */
export function formatScores(s: SegmentationScores, names: readonly string[] = CLASS_NAMES): string {
  const lines = s.iou.map(
    (v, c) =>
      `${(names[c] ?? String(c)).padEnd(14)} ${Number.isNaN(v) ? '   n/a' : (100 * v).toFixed(2).padStart(6)}`,
  );
  lines.push(`${'mIoU'.padEnd(14)} ${(100 * s.miou).toFixed(2).padStart(6)}  (${s.classesCounted} classes)`);
  lines.push(`${'pixel acc.'.padEnd(14)} ${(100 * s.pixelAccuracy).toFixed(2).padStart(6)}`);
  return lines.join('\n');
}
