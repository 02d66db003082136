// binary_ops.ts — the op codes of the binary_f32 family (part of the ABI: the `op` argument of every
// binary_*_f32 export) and the two ISA files' shared dispatch helpers. Not an entry point.
//   0 add: a + b   1 sub: a − b   2 mul: a·b   3 div: a/b   4 max: max(a, b)   5 min: min(a, b)
//   6 rsub: b − a  7 rdiv: b/a   (the reversed forms let a broadcast operand stand on the left)
// max/min are WASM's f32.max/min: NaN if either is NaN, max(−0, +0) = +0 — Math.max/min exactly.

// @ts-ignore: decorator
@inline export const ADD = 0;
// @ts-ignore: decorator
@inline export const SUB = 1;
// @ts-ignore: decorator
@inline export const MUL = 2;
// @ts-ignore: decorator
@inline export const DIV = 3;
// @ts-ignore: decorator
@inline export const MAX = 4;
// @ts-ignore: decorator
@inline export const MIN = 5;
// @ts-ignore: decorator
@inline export const RSUB = 6;
// @ts-ignore: decorator
@inline export const RDIV = 7;
// @ts-ignore: decorator
@inline export const OP_COUNT = 8;

/** a ∘ b for one element (the scalar kernels; each SIMD lane performs the same operation). */
// @ts-ignore: decorator
@inline export function apply1(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  if (op == DIV) return a / b;
  if (op == MAX) return max<f32>(a, b);
  if (op == MIN) return min<f32>(a, b);
  if (op == RSUB) return b - a;
  return b / a; // RDIV
}
