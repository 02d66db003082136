// rows.ts — the layout precondition every softmax-family export asserts (not an entry point).
// A matrix of `rows` rows of `cols` f32, row r starting at element r·ld. Checked only in builds with
// assertions (debug): there a violation traps with `unreachable`; release builds skip the checks.

// @ts-ignore: decorator
@inline export function checkRows(x: usize, y: usize, rows: i32, cols: i32, ldx: i32, ldy: i32): void {
  if (ASC_NO_ASSERT) return;
  assert(rows >= 0 && cols >= 0 && ldx >= cols && ldy >= cols);
  assert(((x | y) & 3) == 0); // f32 elements: 4-byte aligned offsets
  if (rows == 0 || cols == 0) return;
  // Extents in u64 so that a huge rows·ld cannot wrap around and pass.
  const xEnd = <u64>x + ((<u64>(rows - 1) * <u64>ldx + <u64>cols) << 2);
  const yEnd = <u64>y + ((<u64>(rows - 1) * <u64>ldy + <u64>cols) << 2);
  const memEnd = <u64>memory.size() << 16;
  assert(xEnd <= memEnd && yEnd <= memEnd);
  // In place (x == y) must keep every element where it is; any other overlap would read results.
  if (x == y) assert(ldx == ldy);
  else assert(xEnd <= <u64>y || yEnd <= <u64>x);
}
