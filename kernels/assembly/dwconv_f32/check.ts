// check.ts — the preconditions every dwconv_f32-family export asserts (not an entry point). Checked
// only in builds with assertions (debug), where a violation traps with `unreachable`.
import { checkBuf, checkGeom, disjoint, f32Bytes } from '../conv_geom';

// Forward: x [batch, inH, inW, c], w [kH, kW, c], bias [c] or 0, y [batch, outH, outW, c];
// y must not overlap an input.
// @ts-ignore: decorator
@inline export function checkDwconv(
  x: usize, w: usize, bias: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  if (ASC_NO_ASSERT) return;
  checkGeom(batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  const xb = f32Bytes(batch, inH, inW, c);
  const wb = f32Bytes(kH, kW, c, 1);
  const bb = f32Bytes(c, 1, 1, 1);
  const yb = f32Bytes(batch, outH, outW, c);
  checkBuf(x, xb);
  checkBuf(w, wb);
  if (bias) checkBuf(bias, bb);
  checkBuf(y, yb);
  assert(disjoint(y, yb, x, xb) && disjoint(y, yb, w, wb) && (!bias || disjoint(y, yb, bias, bb)));
}

// Backward: inputs x, w, dy; outputs dx (or 0), dw, db (or 0), all accumulated. No output may
// overlap an input or another output.
// @ts-ignore: decorator
@inline export function checkDwconvGrad(
  x: usize, w: usize, dy: usize, dx: usize, dw: usize, db: usize,
  batch: i32, inH: i32, inW: i32, c: i32, kH: i32, kW: i32,
  stride: i32, pad: i32, dilation: i32, outH: i32, outW: i32,
): void {
  if (ASC_NO_ASSERT) return;
  checkGeom(batch, inH, inW, c, kH, kW, stride, pad, dilation, outH, outW);
  const xb = f32Bytes(batch, inH, inW, c);
  const wb = f32Bytes(kH, kW, c, 1);
  const bb = f32Bytes(c, 1, 1, 1);
  const yb = f32Bytes(batch, outH, outW, c);
  checkBuf(x, xb);
  checkBuf(w, wb);
  checkBuf(dy, yb);
  checkBuf(dw, wb);
  if (dx) checkBuf(dx, xb);
  if (db) checkBuf(db, bb);
  const dxb: u64 = dx ? xb : 0;
  const dbb: u64 = db ? bb : 0;
  assert(disjoint(dw, wb, x, xb) && disjoint(dw, wb, w, wb) && disjoint(dw, wb, dy, yb));
  assert(disjoint(dx, dxb, x, xb) && disjoint(dx, dxb, w, wb) && disjoint(dx, dxb, dy, yb));
  assert(disjoint(db, dbb, x, xb) && disjoint(db, dbb, w, wb) && disjoint(db, dbb, dy, yb));
  assert(disjoint(dx, dxb, dw, wb) && disjoint(dx, dxb, db, dbb) && disjoint(dw, wb, db, dbb));
}
