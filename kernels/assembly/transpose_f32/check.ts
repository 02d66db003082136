// check.ts — the preconditions of the transpose_f32 exports (not an entry point). Checked only in
// builds with assertions (debug), where a violation traps with `unreachable`.
import { checkBuf, disjoint } from '../conv_geom';

// x and y [batch, rows·cols] inside the memory, not overlapping; sizes ≥ 0.
// @ts-ignore: decorator
@inline export function checkTranspose(x: usize, y: usize, batch: i32, rows: i32, cols: i32): void {
  if (ASC_NO_ASSERT) return;
  assert(batch >= 0 && rows >= 0 && cols >= 0);
  const nb = (<u64>batch * <u64>rows * <u64>cols) << 2;
  checkBuf(x, nb);
  checkBuf(y, nb);
  assert(disjoint(x, nb, y, nb));
}
