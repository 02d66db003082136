// colourBaseline.ts — how far colour alone gets: two per-pixel classifiers that see only a pixel's RGB, fit on
// a train split and scored on val with the Cityscapes protocol. `nearestMean` assigns the class whose mean
// train colour is closest; `colourLookup` assigns each 5-bit-per-channel colour bin its most frequent train
// class (the best any per-pixel colour rule can do at that resolution). A data set on which these score
// near a real network would be too easy; SynthCity is built so they score far below.

import { IGNORE_INDEX, NUM_CLASSES } from './labels.js';
import type { CityscapesDataset, Frame } from './loader.js';
import { ConfusionMatrix, type SegmentationScores } from './metrics.js';

export interface ColourModel {
  /** Mean RGB per class (NUM_CLASSES × 3); NaN for a class never seen in train. */
  means: Float64Array;
  /** Majority class per 32×32×32 colour bin (255 = bin never seen in train; falls back to nearestMean). */
  bins: Uint8Array;
}

export interface ColourBaselineScores {
  nearestMean: SegmentationScores;
  colourLookup: SegmentationScores;
}

const BINS = 32 * 32 * 32;
const bin = (r: number, g: number, b: number): number => ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);

async function forEachFrame(
  ds: CityscapesDataset,
  fn: (f: Frame) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  // Two reads in flight: file I/O overlaps decoding without holding more than a couple of frames.
  let next = ds.readFrame(0);
  for (let i = 0; i < ds.length; i++) {
    const cur = await next;
    if (i + 1 < ds.length) next = ds.readFrame(i + 1);
    fn(cur);
    onProgress?.(i + 1, ds.length);
  }
}

export async function fitColourBaseline(
  train: CityscapesDataset,
  onProgress?: (done: number, total: number) => void,
): Promise<ColourModel> {
  const sums = new Float64Array(NUM_CLASSES * 3);
  const counts = new Float64Array(NUM_CLASSES);
  const hist = new Uint32Array(BINS * NUM_CLASSES);
  await forEachFrame(
    train,
    (f) => {
      for (let i = 0; i < f.labels.length; i++) {
        const t = f.labels[i];
        if (t === IGNORE_INDEX) continue;
        const r = f.image[i * 3];
        const g = f.image[i * 3 + 1];
        const b = f.image[i * 3 + 2];
        sums[t * 3] += r;
        sums[t * 3 + 1] += g;
        sums[t * 3 + 2] += b;
        counts[t]++;
        hist[bin(r, g, b) * NUM_CLASSES + t]++;
      }
    },
    onProgress,
  );
  const means = new Float64Array(NUM_CLASSES * 3);
  for (let c = 0; c < NUM_CLASSES; c++)
    for (let k = 0; k < 3; k++) means[c * 3 + k] = counts[c] ? sums[c * 3 + k] / counts[c] : Number.NaN;
  const bins = new Uint8Array(BINS).fill(IGNORE_INDEX);
  for (let b = 0; b < BINS; b++) {
    let best = 0;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = hist[b * NUM_CLASSES + c];
      if (v > best) {
        best = v;
        bins[b] = c;
      }
    }
  }
  return { means, bins };
}

/** Nearest class mean for one colour (classes never seen in train are never predicted). */
export function nearestMeanClass(means: Float64Array, r: number, g: number, b: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < means.length / 3; c++) {
    const dr = r - means[c * 3];
    const dg = g - means[c * 3 + 1];
    const db = b - means[c * 3 + 2];
    const d = dr * dr + dg * dg + db * db;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export async function evaluateColourBaseline(
  model: ColourModel,
  val: CityscapesDataset,
  onProgress?: (done: number, total: number) => void,
): Promise<ColourBaselineScores> {
  const nm = new ConfusionMatrix();
  const lk = new ConfusionMatrix();
  // Exact nearest-mean answers cached per 24-bit colour (−1 = not computed yet).
  const cache = new Int8Array(1 << 24).fill(-1);
  await forEachFrame(
    val,
    (f) => {
      const n = f.labels.length;
      const p1 = new Uint8Array(n);
      const p2 = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const r = f.image[i * 3];
        const g = f.image[i * 3 + 1];
        const b = f.image[i * 3 + 2];
        const key = (r << 16) | (g << 8) | b;
        let c = cache[key];
        if (c < 0) {
          c = nearestMeanClass(model.means, r, g, b);
          cache[key] = c;
        }
        p1[i] = c;
        const l = model.bins[bin(r, g, b)];
        p2[i] = l === IGNORE_INDEX ? c : l;
      }
      nm.update(f.labels, p1);
      lk.update(f.labels, p2);
    },
    onProgress,
  );
  return { nearestMean: nm.scores(), colourLookup: lk.scores() };
}
