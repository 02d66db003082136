// schedule.ts — mmseg's learning-rate policy for SegFormer: linear warm-up from lr·ratio, then
// polynomial decay to minLr (power 1.0 in the official Cityscapes config).

export interface PolySchedule {
  baseLr: number;
  totalSteps: number;
  power?: number;
  minLr?: number;
  warmupSteps?: number;
  /** Warm-up starts at baseLr·warmupRatio (mmseg: 1e-6). */
  warmupRatio?: number;
}

/** Learning rate before optimizer step `step` (0-based). */
export function polyLr(s: PolySchedule, step: number): number {
  const power = s.power ?? 1;
  const minLr = s.minLr ?? 0;
  const t = Math.min(step, s.totalSteps);
  const decayed = (s.baseLr - minLr) * (1 - t / s.totalSteps) ** power + minLr;
  const w = s.warmupSteps ?? 0;
  if (step >= w) return decayed;
  const ratio = s.warmupRatio ?? 1e-6;
  // mmcv's linear warm-up: k = (1 − step/w)(1 − ratio), lr = decayed·(1 − k)
  const k = (1 - step / w) * (1 - ratio);
  return decayed * (1 - k);
}
