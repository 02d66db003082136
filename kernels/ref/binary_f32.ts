// ref/binary_f32.ts — plain-TS twins of assembly/binary_f32/*, in f64: ArrayBackend's binary (with its
// strided broadcasting, the general case the kernels' four layouts cover) and affine, and y + α·x.

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'max', 'min', 'rsub', 'rdiv'] as const;
export type BinaryOpName = (typeof BINARY_OPS)[number];

/** a ∘ b in f64 (rsub = b − a, rdiv = b/a; max/min are Math.max/min). */
export function binaryF64(op: BinaryOpName, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'max':
      return Math.max(a, b);
    case 'min':
      return Math.min(a, b);
    case 'rsub':
      return b - a;
    case 'rdiv':
      return b / a;
  }
}

/** out[i] = a[i] ∘ b[i]. */
export function binaryF32(
  op: BinaryOpName,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n = a.length,
): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = binaryF64(op, a[i], b[i]);
  return out;
}

/** out[r][c] = a[r][c] ∘ b[c]. */
export function binaryRowF32(
  op: BinaryOpName,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = binaryF64(op, a[r * cols + c], b[c]);
  return out;
}

/** out[r][c] = a[r][c] ∘ b[r]. */
export function binaryColF32(
  op: BinaryOpName,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = binaryF64(op, a[r * cols + c], b[r]);
  return out;
}

/** out[i] = a[i] ∘ s. */
export function binaryScalarF32(op: BinaryOpName, a: ArrayLike<number>, s: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = binaryF64(op, a[i], s);
  return out;
}

/**
 * ArrayBackend.binary: out (contiguous, `shape`) = a ∘ b with a[i·aStrides], b[i·bStrides]; a stride of
 * 0 broadcasts. aOffset/bOffset: element offsets of a and b.
 */
export function binaryStridedF32(
  op: BinaryOpName,
  a: ArrayLike<number>,
  aStrides: readonly number[],
  b: ArrayLike<number>,
  bStrides: readonly number[],
  shape: readonly number[],
  aOffset = 0,
  bOffset = 0,
): Float64Array {
  const total = shape.reduce((p, s) => p * s, 1);
  const out = new Float64Array(total);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < total; o++) {
    let ai = aOffset;
    let bi = bOffset;
    for (let d = 0; d < shape.length; d++) {
      ai += idx[d] * aStrides[d];
      bi += idx[d] * bStrides[d];
    }
    out[o] = binaryF64(op, a[ai], b[bi]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** y[i] + alpha·x[i]. */
export function axpyF32(x: ArrayLike<number>, y: ArrayLike<number>, alpha: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] + alpha * x[i];
  return out;
}

/** x[i]·scale + shift (ArrayBackend.affine). */
export function affineF32(x: ArrayLike<number>, scale: number, shift: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * scale + shift;
  return out;
}
