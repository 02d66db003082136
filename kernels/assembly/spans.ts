// spans.ts — the preconditions of the elementwise families (unary_f32, binary_f32, reduce_f32,
// adamw_f32), not an entry point (their vector tails: lanes.ts). A span is `n` f32 starting at byte offset p.
// Preconditions are checked only in builds with assertions (debug): a violation traps with
// `unreachable`; release builds compile them away.

// One past the last byte of a span, in u64 so that a huge n cannot wrap around and pass.
// @ts-ignore: decorator
@inline export function spanEnd(p: usize, n: i32): u64 {
  return <u64>p + (<u64>n << 2);
}

/** n ≥ 0, p 4-byte aligned and the whole span inside the memory. */
// @ts-ignore: decorator
@inline export function checkSpan(p: usize, n: i32): void {
  if (ASC_NO_ASSERT) return;
  assert(n >= 0 && (p & 3) == 0);
  assert(spanEnd(p, n) <= <u64>memory.size() << 16);
}

/**
 * An input span and an output span either start at the same element (in place: each element is read
 * before it is written) or do not overlap at all (any other overlap would read results).
 */
// @ts-ignore: decorator
@inline export function checkInOut(input: usize, nIn: i32, output: usize, nOut: i32): void {
  if (ASC_NO_ASSERT) return;
  if (input == output || nIn == 0 || nOut == 0) return;
  assert(spanEnd(input, nIn) <= <u64>output || spanEnd(output, nOut) <= <u64>input);
}

/** Two spans do not overlap at all (an empty span overlaps nothing). */
// @ts-ignore: decorator
@inline export function checkDisjoint(a: usize, nA: i32, b: usize, nB: i32): void {
  if (ASC_NO_ASSERT) return;
  if (nA == 0 || nB == 0) return;
  assert(spanEnd(a, nA) <= <u64>b || spanEnd(b, nB) <= <u64>a);
}

/** rows·cols as an i32 element count; traps (debug) when it does not fit. */
// @ts-ignore: decorator
@inline export function checkCount(rows: i32, cols: i32): void {
  if (ASC_NO_ASSERT) return;
  assert(rows >= 0 && cols >= 0);
  assert(<i64>rows * <i64>cols <= <i64>i32.MAX_VALUE);
}
