// reduce_checks.ts — the precondition both reduce_f32 files assert (not an entry point).
import { checkDisjoint, checkSpan } from '../spans';

/** x [outer, mid, inner] and out [outer, inner] inside the memory, not overlapping; sizes fit i32. */
// @ts-ignore: decorator
@inline export function checkReduce(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  if (ASC_NO_ASSERT) return;
  assert(outer >= 0 && mid >= 0 && inner >= 0);
  assert(<i64>outer * <i64>mid * <i64>inner <= <i64>i32.MAX_VALUE);
  assert(<i64>outer * <i64>inner <= <i64>i32.MAX_VALUE);
  const nx = outer * mid * inner;
  const no = outer * inner;
  checkSpan(x, nx);
  checkSpan(out, no);
  checkDisjoint(x, nx, out, no);
}
