// check.ts — the preconditions every layernorm_f32-family export asserts (not an entry point).
// Checked only in builds with assertions (debug), where a violation traps with `unreachable`.
import { checkBuf, disjoint } from '../conv_geom';

// Forward: x, y [rows, cols]; gamma, beta [cols]; mean, rstd [rows]. Outputs y, mean, rstd disjoint
// from every other buffer (inputs may share memory).
// @ts-ignore: decorator
@inline export function checkLayerNorm(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, rows: i32, cols: i32,
): void {
  if (ASC_NO_ASSERT) return;
  assert(rows >= 0 && cols >= 0);
  const mb = <u64>rows << 2;
  const vb = <u64>cols << 2;
  const xb = (<u64>rows * <u64>cols) << 2;
  checkBuf(x, xb);
  checkBuf(gamma, vb);
  checkBuf(beta, vb);
  checkBuf(y, xb);
  checkBuf(mean, mb);
  checkBuf(rstd, mb);
  assert(disjoint(y, xb, x, xb) && disjoint(y, xb, gamma, vb) && disjoint(y, xb, beta, vb));
  assert(disjoint(mean, mb, x, xb) && disjoint(mean, mb, gamma, vb) && disjoint(mean, mb, beta, vb));
  assert(disjoint(rstd, mb, x, xb) && disjoint(rstd, mb, gamma, vb) && disjoint(rstd, mb, beta, vb));
  assert(disjoint(y, xb, mean, mb) && disjoint(y, xb, rstd, mb) && disjoint(mean, mb, rstd, mb));
}

// Backward: inputs x, dy [rows, cols], gamma [cols], mean, rstd [rows]; outputs dx [rows, cols],
// dgamma, dbeta [cols], each disjoint from every other buffer.
// @ts-ignore: decorator
@inline export function checkLayerNormGrad(
  x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32,
): void {
  if (ASC_NO_ASSERT) return;
  assert(rows >= 0 && cols >= 0);
  const mb = <u64>rows << 2;
  const vb = <u64>cols << 2;
  const xb = (<u64>rows * <u64>cols) << 2;
  checkBuf(x, xb);
  checkBuf(gamma, vb);
  checkBuf(mean, mb);
  checkBuf(rstd, mb);
  checkBuf(dy, xb);
  checkBuf(dx, xb);
  checkBuf(dgamma, vb);
  checkBuf(dbeta, vb);
  assert(disjoint(dx, xb, x, xb) && disjoint(dx, xb, gamma, vb) && disjoint(dx, xb, mean, mb));
  assert(disjoint(dx, xb, rstd, mb) && disjoint(dx, xb, dy, xb));
  assert(disjoint(dgamma, vb, x, xb) && disjoint(dgamma, vb, gamma, vb) && disjoint(dgamma, vb, mean, mb));
  assert(disjoint(dgamma, vb, rstd, mb) && disjoint(dgamma, vb, dy, xb));
  assert(disjoint(dbeta, vb, x, xb) && disjoint(dbeta, vb, gamma, vb) && disjoint(dbeta, vb, mean, mb));
  assert(disjoint(dbeta, vb, rstd, mb) && disjoint(dbeta, vb, dy, xb));
  assert(disjoint(dx, xb, dgamma, vb) && disjoint(dx, xb, dbeta, vb) && disjoint(dgamma, vb, dbeta, vb));
}
