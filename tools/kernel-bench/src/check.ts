// check.ts — every GEMM and softmax result the benchmark times is checked against the TS twin in
// `@edgeseg/kernels/ref` (int8 and the int8 → f32 epilogue bit for bit, f32 within the test suite's
// tolerance formulas), so a fast wrong kernel fails the run instead of topping the table.
//
// The twins are plain TS loops (~0.3 G multiply-adds/s): on a large shape they are run on bands of
// rows spread over the matrix — the first and the last rows (the partial tiles) always among them —
// up to CHECK_BUDGET multiply-adds per shape; every column of those rows is compared.
//
// The tolerance formulas are @edgeseg/testing's (gemmF32Tolerance, gemmF32MeanTolerance,
// softmaxClose), repeated here because this tool has no runtime dependency but @edgeseg/kernels (it
// runs on a board with plain Node); a test holds the two copies equal.

/** Twin multiply-adds (or softmax elements) checked per shape and implementation. */
export const CHECK_BUDGET = 2 ** 25;

/** Machine epsilon of f32 (2^−23). */
const F32_EPS = 2 ** -23;

/** f32 GEMM: |ref − opt| ≤ max|ref|·ε·64·√k, floored at 4ε (@edgeseg/testing). */
export function gemmF32Tolerance(maxAbsRef: number, k: number): number {
  return Math.max(4 * F32_EPS, maxAbsRef * F32_EPS * 64 * Math.sqrt(Math.max(1, k)));
}

/** Mean |ref − opt| over a GEMM output must stay within a quarter of that (@edgeseg/testing). */
export function gemmF32MeanTolerance(maxAbsRef: number, k: number): number {
  return gemmF32Tolerance(maxAbsRef, k) / 4;
}

/** Softmax against an f64 reference: within absolute or relative 1e-6 (@edgeseg/testing, MLAS). */
export function softmaxClose(ref: number, opt: number): boolean {
  const d = Math.abs(ref - opt);
  return d <= 1e-6 || d <= 1e-6 * Math.abs(ref);
}

/** Rows [r0, r1) of an output, with the twin's values for them (dense, (r1 − r0) × n). */
export interface Band<T extends ArrayLike<number> = ArrayLike<number>> {
  r0: number;
  r1: number;
  ref: T;
}

/**
 * Bands of rows to check: all rows when m·rowCost ≤ budget, else bands of ≤ `band` rows evenly spread
 * from row 0 to row m − 1, as many as the budget allows (at least the first and the last).
 */
export function sampleRowBands(
  m: number,
  rowCost: number,
  budget = CHECK_BUDGET,
  band = 16,
): [number, number][] {
  if (m * rowCost <= budget) return [[0, m]];
  const rowsAllowed = Math.max(2, Math.floor(budget / Math.max(1, rowCost)));
  const b = Math.max(1, Math.min(band, Math.floor(rowsAllowed / 2)));
  const count = Math.max(2, Math.floor(rowsAllowed / b));
  const out: [number, number][] = [];
  let end = 0;
  for (let i = 0; i < count; i++) {
    const r0 = Math.max(end, Math.round((i * (m - b)) / (count - 1)));
    if (r0 >= m) break;
    end = Math.min(m, r0 + b);
    out.push([r0, end]);
  }
  return out;
}

/** What a failure message names: the family, implementation, kernel (tile) and problem. */
export interface Where {
  family: string;
  impl: string;
  /** e.g. `kernel=gemm_i8_4x8c2__simd (mr×nr×kr=4×8×2)`; empty for peers. */
  kernel?: string;
  /** e.g. `m×n×k=512×512×512`. */
  problem: string;
}

export class MismatchError extends Error {}

function fail(w: Where, what: string): never {
  const kernel = w.kernel ? `, ${w.kernel}` : '';
  throw new MismatchError(
    `${w.family}: ${w.impl} disagrees with the TS twin ${what}${kernel}, ${w.problem}. ` +
      'The timings of a wrong kernel mean nothing: fix the kernel (or the benchmark) before comparing.',
  );
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(9));

/** Bit-exact: int8/int32 values, or f32 compared by their bits. `got` is the dense m × n output. */
export function expectExact(w: Where, n: number, bands: Band[], got: ArrayLike<number>): void {
  const bits = got instanceof Float32Array;
  const gotBits = bits ? new Uint32Array(got.buffer, got.byteOffset, got.length) : null;
  for (const { r0, r1, ref } of bands) {
    const refBits = bits ? new Uint32Array(Float32Array.from(ref).buffer) : null;
    for (let i = r0; i < r1; i++) {
      for (let j = 0; j < n; j++) {
        const g = i * n + j;
        const r = (i - r0) * n + j;
        const same = gotBits && refBits ? gotBits[g] === refBits[r] : got[g] === ref[r];
        if (!same) fail(w, `at (${i}, ${j}): reference=${fmt(ref[r])}, optimized=${fmt(got[g])} (bit-exact)`);
      }
    }
  }
}

/** f32 GEMM within gemmF32Tolerance (max error) and gemmF32MeanTolerance (mean error) of the f64 twin. */
export function expectGemmF32(w: Where, n: number, k: number, bands: Band[], got: ArrayLike<number>): void {
  let maxAbsRef = 0;
  let count = 0;
  for (const { ref } of bands) {
    for (let r = 0; r < ref.length; r++) maxAbsRef = Math.max(maxAbsRef, Math.abs(ref[r]));
  }
  const tol = gemmF32Tolerance(maxAbsRef, k);
  let sum = 0;
  for (const { r0, r1, ref } of bands) {
    for (let i = r0; i < r1; i++) {
      for (let j = 0; j < n; j++) {
        const rv = ref[(i - r0) * n + j];
        const gv = got[i * n + j];
        const d = Math.abs(rv - gv);
        if (!(d <= tol)) {
          fail(
            w,
            `at (${i}, ${j}): reference=${fmt(rv)}, optimized=${fmt(gv)}, |diff|=${d.toExponential(3)} > ` +
              `${tol.toExponential(3)} (max|ref|·ε·64·√k, max|ref|=${fmt(maxAbsRef)})`,
          );
        }
        sum += d;
        count++;
      }
    }
  }
  const mean = count ? sum / count : 0;
  const meanTol = gemmF32MeanTolerance(maxAbsRef, k);
  if (!(mean <= meanTol)) {
    fail(
      w,
      `on average: mean |diff|=${mean.toExponential(3)} > ${meanTol.toExponential(3)} (a quarter of the max bound)`,
    );
  }
}

/** Softmax rows within abs or rel 1e-6 of the f64 twin, element by element. */
export function expectSoftmax(w: Where, cols: number, bands: Band[], got: ArrayLike<number>): void {
  for (const { r0, r1, ref } of bands) {
    for (let i = r0; i < r1; i++) {
      for (let j = 0; j < cols; j++) {
        const rv = ref[(i - r0) * cols + j];
        const gv = got[i * cols + j];
        const ok = softmaxClose(rv, gv) || (Number.isNaN(rv) && Number.isNaN(gv)) || rv === gv;
        if (!ok) fail(w, `at (${i}, ${j}): reference=${fmt(rv)}, optimized=${fmt(gv)} (abs or rel 1e-6)`);
      }
    }
  }
}

/** Runs a check on a peer's result: a mismatch becomes the row's `wrong` text instead of an exception. */
export function peerVerdict(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof MismatchError) return e.message.replace(/\. The timings of a wrong kernel.*$/, '');
    throw e;
  }
}
