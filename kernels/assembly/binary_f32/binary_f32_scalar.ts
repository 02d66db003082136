// binary_f32_scalar.ts — elementwise f32 arithmetic with broadcasting, y += α·x and y = x·s + t, scalar
// (hosts without SIMD; also the readable statement of what binary_f32_simd.ts vectorizes).
//
// binary_f32(op, a, b, out, n):              out[i] = a[i] ∘ b[i],            i < n
// binary_row_f32(op, a, b, out, rows, cols): out[r][c] = a[r][c] ∘ b[c]      (bias, per-channel scale)
// binary_col_f32(op, a, b, out, rows, cols): out[r][c] = a[r][c] ∘ b[r]      (per-row scale)
// binary_scalar_f32(op, a, s, out, n):       out[i] = a[i] ∘ s
// axpy_f32(x, y, n, alpha):                  y[i] = y[i] + alpha·x[i]       (gradient accumulation)
// affine_f32(x, y, n, scale, shift):         y[i] = x[i]·scale + shift
// ∘ is the op code of binary_ops.ts: add, sub, mul, div, max, min, rsub (b − a), rdiv (b/a).
// Layout: contiguous row-major f32; rows, cols, n ≥ 0. In place is allowed: out == a (every layout),
//   out == b (binary_f32 only), y == x (axpy: y += α·y; affine). A broadcast operand (b of the row/col
//   forms) must not overlap out; other overlaps are not allowed either (debug builds trap).
// Rounding: one IEEE operation per element for ∘ (the same bits as the f32 TS loop, which rounds an
//   f64 result of the same operation once); axpy and affine round twice (α·x, then the add), so against
//   f64 arithmetic they are within u·(|α·x| + |y| + |result|) resp. u·(2|x·s| + |t| + |result|),
//   u = 2^−24, scale/shift/alpha being f32 arguments. Every variant gives the same bits.
// Twin: kernels/ref/binary_f32.ts.
import { checkCount, checkDisjoint, checkInOut, checkSpan } from '../spans';
import { ADD, apply1, DIV, MAX, MIN, MUL, OP_COUNT, RDIV, RSUB, SUB } from './binary_ops';

// @ts-ignore: decorator
@inline function same(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, apply1(op, load<f32>(a + o), load<f32>(b + o)));
  }
}

// @ts-ignore: decorator
@inline function row(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const ar = a + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    for (let c = 0; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(or + o, apply1(op, load<f32>(ar + o), load<f32>(b + o)));
    }
  }
}

// @ts-ignore: decorator
@inline function col(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const ar = a + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    const br = load<f32>(b + (<usize>r << 2));
    for (let c = 0; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(or + o, apply1(op, load<f32>(ar + o), br));
    }
  }
}

// @ts-ignore: decorator
@inline function scalar(op: i32, a: usize, s: f32, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, apply1(op, load<f32>(a + o), s));
  }
}

export function binary_f32__scalar(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  assert(op >= 0 && op < OP_COUNT);
  checkSpan(a, n);
  checkSpan(b, n);
  checkSpan(out, n);
  checkInOut(a, n, out, n);
  checkInOut(b, n, out, n);
  if (op == ADD) same(ADD, a, b, out, n);
  else if (op == SUB) same(SUB, a, b, out, n);
  else if (op == MUL) same(MUL, a, b, out, n);
  else if (op == DIV) same(DIV, a, b, out, n);
  else if (op == MAX) same(MAX, a, b, out, n);
  else if (op == MIN) same(MIN, a, b, out, n);
  else if (op == RSUB) same(RSUB, a, b, out, n);
  else if (op == RDIV) same(RDIV, a, b, out, n);
}

export function binary_row_f32__scalar(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  assert(op >= 0 && op < OP_COUNT);
  checkCount(rows, cols);
  const n = rows * cols;
  checkSpan(a, n);
  checkSpan(b, cols);
  checkSpan(out, n);
  checkInOut(a, n, out, n);
  checkDisjoint(b, cols, out, n); // b is read for every row: it must not overlap out at all
  if (op == ADD) row(ADD, a, b, out, rows, cols);
  else if (op == SUB) row(SUB, a, b, out, rows, cols);
  else if (op == MUL) row(MUL, a, b, out, rows, cols);
  else if (op == DIV) row(DIV, a, b, out, rows, cols);
  else if (op == MAX) row(MAX, a, b, out, rows, cols);
  else if (op == MIN) row(MIN, a, b, out, rows, cols);
  else if (op == RSUB) row(RSUB, a, b, out, rows, cols);
  else if (op == RDIV) row(RDIV, a, b, out, rows, cols);
}

export function binary_col_f32__scalar(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  assert(op >= 0 && op < OP_COUNT);
  checkCount(rows, cols);
  const n = rows * cols;
  checkSpan(a, n);
  checkSpan(b, rows);
  checkSpan(out, n);
  checkInOut(a, n, out, n);
  checkDisjoint(b, rows, out, n);
  if (op == ADD) col(ADD, a, b, out, rows, cols);
  else if (op == SUB) col(SUB, a, b, out, rows, cols);
  else if (op == MUL) col(MUL, a, b, out, rows, cols);
  else if (op == DIV) col(DIV, a, b, out, rows, cols);
  else if (op == MAX) col(MAX, a, b, out, rows, cols);
  else if (op == MIN) col(MIN, a, b, out, rows, cols);
  else if (op == RSUB) col(RSUB, a, b, out, rows, cols);
  else if (op == RDIV) col(RDIV, a, b, out, rows, cols);
}

export function binary_scalar_f32__scalar(op: i32, a: usize, s: f32, out: usize, n: i32): void {
  assert(op >= 0 && op < OP_COUNT);
  checkSpan(a, n);
  checkSpan(out, n);
  checkInOut(a, n, out, n);
  if (op == ADD) scalar(ADD, a, s, out, n);
  else if (op == SUB) scalar(SUB, a, s, out, n);
  else if (op == MUL) scalar(MUL, a, s, out, n);
  else if (op == DIV) scalar(DIV, a, s, out, n);
  else if (op == MAX) scalar(MAX, a, s, out, n);
  else if (op == MIN) scalar(MIN, a, s, out, n);
  else if (op == RSUB) scalar(RSUB, a, s, out, n);
  else if (op == RDIV) scalar(RDIV, a, s, out, n);
}

export function axpy_f32__scalar(x: usize, y: usize, n: i32, alpha: f32): void {
  checkSpan(x, n);
  checkSpan(y, n);
  checkInOut(x, n, y, n);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

export function affine_f32__scalar(x: usize, y: usize, n: i32, scale: f32, shift: f32): void {
  checkSpan(x, n);
  checkSpan(y, n);
  checkInOut(x, n, y, n);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + o) * scale + shift);
  }
}
