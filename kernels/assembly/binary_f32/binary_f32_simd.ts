// binary_f32_simd.ts — elementwise f32 arithmetic with broadcasting, y += α·x and y = x·s + t, WASM
// SIMD128, 16 elements a step.
// Same exports, op codes, layouts, aliasing and rounding as binary_f32_scalar.ts, whose header is the
// contract of both files; one IEEE operation per lane, so both variants give the same bits.
// Reads up to 12 bytes past the last element of a, b (row form: of b and of each row of a) and x (the
// 1–3 trailing elements are loaded as one vector; callers pad inputs by 16 bytes, as the arena does);
// writes only the output elements (trailing ones with 64/32-bit lane stores).
// Twin: kernels/ref/binary_f32.ts.
import { storeLanes } from '../lanes';
import { checkCount, checkDisjoint, checkInOut, checkSpan } from '../spans';
import { ADD, DIV, MAX, MIN, MUL, OP_COUNT, RDIV, RSUB, SUB } from './binary_ops';

// @ts-ignore: decorator
@inline function apply4(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MAX) return f32x4.max(a, b);
  if (op == MIN) return f32x4.min(a, b);
  if (op == RSUB) return f32x4.sub(b, a);
  return f32x4.div(b, a); // RDIV
}

// out[i] = a[i] ∘ b[i] for i < n; b advances with i when bStep (else the vector vb is used throughout).
// @ts-ignore: decorator
@inline function span(op: i32, a: usize, b: usize, vb: v128, bStep: bool, out: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const pa = a + o;
    const pb = b + o;
    // All loads of the step before its stores: out == a (or out == b) reads each element first.
    const r0 = apply4(op, v128.load(pa), bStep ? v128.load(pb) : vb);
    const r1 = apply4(op, v128.load(pa, 16), bStep ? v128.load(pb, 16) : vb);
    const r2 = apply4(op, v128.load(pa, 32), bStep ? v128.load(pb, 32) : vb);
    const r3 = apply4(op, v128.load(pa, 48), bStep ? v128.load(pb, 48) : vb);
    const q = out + o;
    v128.store(q, r0);
    v128.store(q, r1, 16);
    v128.store(q, r2, 32);
    v128.store(q, r3, 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, apply4(op, v128.load(a + o), bStep ? v128.load(b + o) : vb));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storeLanes(out + o, apply4(op, v128.load(a + o), bStep ? v128.load(b + o) : vb), n - i);
  }
}

// @ts-ignore: decorator
@inline function same(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  span(op, a, b, i32x4.splat(0), true, out, n);
}

// @ts-ignore: decorator
@inline function row(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    span(op, a + <usize>r * rowBytes, b, i32x4.splat(0), true, out + <usize>r * rowBytes, cols);
  }
}

// @ts-ignore: decorator
@inline function col(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const vb = v128.load32_splat(b + (<usize>r << 2));
    span(op, a + <usize>r * rowBytes, 0, vb, false, out + <usize>r * rowBytes, cols);
  }
}

// @ts-ignore: decorator
@inline function scalar(op: i32, a: usize, s: f32, out: usize, n: i32): void {
  span(op, a, 0, f32x4.splat(s), false, out, n);
}

export function binary_f32__simd(op: i32, a: usize, b: usize, out: usize, n: i32): void {
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

export function binary_row_f32__simd(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
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

export function binary_col_f32__simd(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
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

export function binary_scalar_f32__simd(op: i32, a: usize, s: f32, out: usize, n: i32): void {
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

// @ts-ignore: decorator
@inline function axpy4(x: v128, y: v128, va: v128): v128 {
  return f32x4.add(y, f32x4.mul(va, x));
}

export function axpy_f32__simd(x: usize, y: usize, n: i32, alpha: f32): void {
  checkSpan(x, n);
  checkSpan(y, n);
  checkInOut(x, n, y, n);
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const px = x + (<usize>i << 2);
    const py = y + (<usize>i << 2);
    const r0 = axpy4(v128.load(px), v128.load(py), va);
    const r1 = axpy4(v128.load(px, 16), v128.load(py, 16), va);
    const r2 = axpy4(v128.load(px, 32), v128.load(py, 32), va);
    const r3 = axpy4(v128.load(px, 48), v128.load(py, 48), va);
    v128.store(py, r0);
    v128.store(py, r1, 16);
    v128.store(py, r2, 32);
    v128.store(py, r3, 48);
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2;
    const r = axpy4(v128.load(x + o), v128.load(y + o), va);
    if (i + 4 <= n) v128.store(y + o, r);
    else storeLanes(y + o, r, n - i);
  }
}

// @ts-ignore: decorator
@inline function affine4(x: v128, vs: v128, vt: v128): v128 {
  return f32x4.add(f32x4.mul(x, vs), vt);
}

export function affine_f32__simd(x: usize, y: usize, n: i32, scale: f32, shift: f32): void {
  checkSpan(x, n);
  checkSpan(y, n);
  checkInOut(x, n, y, n);
  const vs = f32x4.splat(scale);
  const vt = f32x4.splat(shift);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const px = x + (<usize>i << 2);
    const py = y + (<usize>i << 2);
    const r0 = affine4(v128.load(px), vs, vt);
    const r1 = affine4(v128.load(px, 16), vs, vt);
    const r2 = affine4(v128.load(px, 32), vs, vt);
    const r3 = affine4(v128.load(px, 48), vs, vt);
    v128.store(py, r0);
    v128.store(py, r1, 16);
    v128.store(py, r2, 32);
    v128.store(py, r3, 48);
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2;
    const r = affine4(v128.load(x + o), vs, vt);
    if (i + 4 <= n) v128.store(y + o, r);
    else storeLanes(y + o, r, n - i);
  }
}
