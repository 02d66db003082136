// ref/reduce_f32.ts — plain-TS twin of assembly/reduce_f32/*: ArrayBackend.reduce in f64 (sum in f64
// in the order m = 0, 1, …; max skipping NaN through `x > acc`).

/** out[o][i] = Σ_m (or max_m) x[o][m][i] over x [outer, mid, inner]. */
export function reduceF32(
  op: 'sum' | 'max',
  x: ArrayLike<number>,
  outer: number,
  mid: number,
  inner: number,
): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : Number.NEGATIVE_INFINITY;
      for (let m = 0; m < mid; m++) {
        const v = x[(o * mid + m) * inner + i];
        if (op === 'sum') acc += v;
        else if (v > acc) acc = v;
      }
      out[o * inner + i] = acc;
    }
  }
  return out;
}

/** Σ_m |x[o][m][i]| — the scale of a sum's rounding error. */
export function reduceAbsSumF32(
  x: ArrayLike<number>,
  outer: number,
  mid: number,
  inner: number,
): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let m = 0; m < mid; m++)
      for (let i = 0; i < inner; i++) out[o * inner + i] += Math.abs(x[(o * mid + m) * inner + i]);
  return out;
}
