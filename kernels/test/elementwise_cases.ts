// elementwise_cases.ts — what the elementwise family tests (unary_f32, binary_f32, reduce_f32,
// adamw_f32) share: the lengths to try, special values, and a comparison that fails in XNNPACK's form.

/** Lengths at the edges of the 16-wide main loop, the 4-wide loop and the 1–3 element tail (ruy's list). */
export const LENGTHS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 255, 256, 257, 1000, 4099,
];

/** Values every elementwise op meets sooner or later. */
export const SPECIALS = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  1e-40,
  -1e-40,
  2 ** -126,
  -(2 ** -126),
  1,
  -1,
  0.5,
  -0.5,
  0.625,
  -0.625,
  3,
  -3,
  6,
  -6,
  9,
  -9,
  20,
  -20,
  88.72,
  88.73,
  89.5,
  -87.33,
  -87.34,
  -100,
  100,
  1e30,
  -1e30,
  3.4028234663852886e38,
  -3.4028234663852886e38,
];

/** Same value, NaN equal to NaN, +0 different from −0. */
export function sameBits(a: number, b: number): boolean {
  if (Number.isNaN(a)) return Number.isNaN(b);
  return Object.is(a, b);
}

/**
 * Throws at the first i where !ok(i), with the reference, the kernel's value, the input(s) and where:
 * `at (i): reference=…, optimized=…, x=…, kernel=…, n=…, seed=…`.
 */
export function expectEach(
  n: number,
  ok: (i: number) => boolean,
  describe: (i: number) => string,
  where: string,
): void {
  for (let i = 0; i < n; i++) {
    if (!ok(i)) throw new Error(`at (${i}): ${describe(i)}, ${where}`);
  }
}
