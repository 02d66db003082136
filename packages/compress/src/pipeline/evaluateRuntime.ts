// evaluateRuntime.ts — mIoU of an `.edgeseg` model as the runner sees it: each validation frame's RGB
// goes through `SegmentationModel.segment` (the runtime's resize, normalization, executor, argmax),
// and the mask is scored against the labels sampled to the model's input size — the grid the float
// evaluation scores on — so the trainer's and the runner's figures are the same computation.
import { type CityscapesDataset, ConfusionMatrix, type SegmentationScores, sampleLabel } from '@edgeseg/data';
import type { SegmentationModel } from '@edgeseg/runtime';

export interface RuntimeEval extends SegmentationScores {
  frames: number;
  /** Median network time per frame (ms). */
  medianMs: number;
}

export function labelsAt(labels: Uint8Array, w: number, h: number, outH: number, outW: number): Uint8Array {
  const out = new Uint8Array(outH * outW);
  sampleLabel(labels, w, h, { scaledH: outH, scaledW: outW, offY: 0, offX: 0, outH, outW, flip: false }, out);
  return out;
}

export async function evaluateRuntime(
  model: SegmentationModel,
  ds: CityscapesDataset,
  o: { limit?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RuntimeEval> {
  const { height: H, width: W } = model.info.input;
  const cm = new ConfusionMatrix();
  const n = Math.min(ds.length, o.limit ?? ds.length);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const fr = await ds.readFrame(i);
    const r = await model.segment(fr.image, fr.width, fr.height);
    times.push(r.inferenceMs);
    cm.update(labelsAt(fr.labels, fr.width, fr.height, H, W), r.classes);
    o.onProgress?.(i + 1, n);
  }
  times.sort((a, b) => a - b);
  return { ...cm.scores(), frames: n, medianMs: times[Math.floor(times.length / 2)] ?? 0 };
}
