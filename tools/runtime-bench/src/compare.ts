// compare.ts — how close two logit maps are: ours NHWC [h·w, classes] (the executor's layout) vs
// ONNX Runtime's NCHW [classes, h·w]. Argmax agreement is what a mask shows; the logit errors say
// whether a disagreement is a near-tie or a real difference.

export interface LogitsAgreement {
  /** Fraction of pixels whose argmax class is the same. */
  argmaxAgreement: number;
  /** max |ours − theirs| over all logits. */
  maxAbsDiff: number;
  /** max |ours|, the scale maxAbsDiff is relative to. */
  maxAbs: number;
  /** mean |ours − theirs|. */
  meanAbsDiff: number;
  /** Standard deviation of our logits (the spread a near-tie is small against). */
  std: number;
}

export function compareLogits(
  oursNhwc: Float32Array,
  theirsNchw: Float32Array,
  pixels: number,
  classes: number,
): LogitsAgreement {
  if (oursNhwc.length < pixels * classes || theirsNchw.length < pixels * classes) {
    throw new Error(
      `compareLogits: expected ${pixels}×${classes} logits, got ${oursNhwc.length} and ${theirsNchw.length}.`,
    );
  }
  let agree = 0;
  let maxAbsDiff = 0;
  let maxAbs = 0;
  let sumAbs = 0;
  let sum = 0;
  let sumSq = 0;
  for (let p = 0; p < pixels; p++) {
    let bestOurs = 0;
    let bestTheirs = 0;
    for (let c = 0; c < classes; c++) {
      const a = oursNhwc[p * classes + c];
      const b = theirsNchw[c * pixels + p];
      const d = Math.abs(a - b);
      maxAbsDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(maxAbsDiff, d);
      maxAbs = Math.max(maxAbs, Math.abs(a));
      sumAbs += d;
      sum += a;
      sumSq += a * a;
      if (a > oursNhwc[p * classes + bestOurs]) bestOurs = c;
      if (b > theirsNchw[bestTheirs * pixels + p]) bestTheirs = c;
    }
    if (bestOurs === bestTheirs) agree++;
  }
  const n = pixels * classes;
  const mean = sum / n;
  return {
    argmaxAgreement: agree / pixels,
    maxAbsDiff,
    maxAbs,
    meanAbsDiff: sumAbs / n,
    std: Math.sqrt(Math.max(sumSq / n - mean * mean, 0)),
  };
}

/** NHWC [h·w, 3] → NCHW [3, h·w] (ONNX's input layout). */
export function nhwcToNchw(x: Float32Array, pixels: number, channels: number): Float32Array {
  const y = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < channels; c++) y[c * pixels + p] = x[p * channels + c];
  return y;
}
