// ref/softmax.ts — plain-TS twins of assembly/softmax/*, computed in f64: the oracle the f32 kernels
// are held to (abs or rel 1e-6). The special rows follow the kernels' documented contract, written
// out explicitly rather than left to whatever f64 arithmetic happens to give.

export interface RowLayout {
  rows: number;
  cols: number;
  /** Row stride of x in elements (default cols). */
  ldx?: number;
}

type RowRule = 'nan' | 'masked' | 'finite';

/** Max of a row and which rule applies: NaN or +∞ anywhere → NaN row; only −∞ → fully masked row. */
function rowMax(x: ArrayLike<number>, at: number, cols: number): { m: number; rule: RowRule } {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < cols; j++) {
    const v = x[at + j];
    if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY) return { m: Number.NaN, rule: 'nan' };
    if (v > m) m = v;
  }
  return { m, rule: m === Number.NEGATIVE_INFINITY ? 'masked' : 'finite' };
}

/** softmax over each row of x (rows × cols, stride ldx) in f64; the result is dense rows × cols. */
export function softmaxF32(x: ArrayLike<number>, l: RowLayout): Float64Array {
  const { rows, cols } = l;
  const ldx = l.ldx ?? cols;
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const { m, rule } = rowMax(x, r * ldx, cols);
    const out = y.subarray(r * cols, (r + 1) * cols);
    if (rule === 'nan') out.fill(Number.NaN);
    else if (rule === 'masked')
      out.fill(0); // nothing to attend to: all zeros
    else {
      let s = 0;
      for (let j = 0; j < cols; j++) s += out[j] = Math.exp(x[r * ldx + j] - m);
      for (let j = 0; j < cols; j++) out[j] /= s;
    }
  }
  return y;
}

/** log_softmax over each row: (x − m) − log Σ e^(x − m), in f64; dense rows × cols. */
export function logSoftmaxF32(x: ArrayLike<number>, l: RowLayout): Float64Array {
  const { rows, cols } = l;
  const ldx = l.ldx ?? cols;
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const { m, rule } = rowMax(x, r * ldx, cols);
    const out = y.subarray(r * cols, (r + 1) * cols);
    if (rule === 'nan') out.fill(Number.NaN);
    else if (rule === 'masked')
      out.fill(Number.NEGATIVE_INFINITY); // log of the all-zero softmax
    else {
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(x[r * ldx + j] - m);
      const lse = Math.log(s);
      for (let j = 0; j < cols; j++) out[j] = x[r * ldx + j] - m - lse;
    }
  }
  return y;
}

/** y[i] = e^(x[i] − max) in f64 (below −87.33654, where the f32 kernels flush to 0, the true value). */
export function expMinusMaxF32(x: ArrayLike<number>, max: number): { y: Float64Array; sum: number } {
  const y = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += y[i] = Math.exp(x[i] - max);
  return { y, sum };
}
