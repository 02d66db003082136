// compare.ts — element-wise comparison of a kernel's f32 output with its f64 twin under a per-element
// tolerance, failing in XNNPACK's form (index, reference, optimized, tolerance, where). Shared by the
// spatial and normalization family tests (dwconv, im2col, resize, layernorm, transpose).

/** Absolute values, for calling a twin on |inputs| (its result bounds Σ|term| of every output). */
export function abs(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i]);
  return out;
}

/**
 * Throws at the first element where |want − got| > tol(i) (or got is NaN where want is not). `index`
 * turns a flat index into a readable position, e.g. `(b, y, x, c)`.
 */
export function expectClose(
  what: string,
  want: ArrayLike<number>,
  got: ArrayLike<number>,
  tol: (i: number) => number,
  where: string,
  index: (i: number) => string = (i) => `${i}`,
): void {
  if (want.length !== got.length) {
    throw new Error(`${what}: length ${got.length}, expected ${want.length}, ${where}`);
  }
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    const t = tol(i);
    if (!(Math.abs(w - g) <= t)) {
      throw new Error(
        `${what} at ${index(i)}: reference=${w}, optimized=${g}, |diff|=${Math.abs(w - g)}, tolerance=${t}, ${where}`,
      );
    }
  }
}

/** `(b, y, x, c)` of a flat NHWC index. */
export function nhwcIndex(h: number, w: number, c: number): (i: number) => string {
  return (i) => {
    const ch = i % c;
    const px = Math.floor(i / c);
    return `(b=${Math.floor(px / (h * w))}, y=${Math.floor(px / w) % h}, x=${px % w}, c=${ch})`;
  };
}
