// unary_ops.ts — the unary_f32 family's op numbering inside the .wasm (not an ABI: every op has its
// own export) and which inputs each backward reads. Not an entry point.

// @ts-ignore: decorator
@inline export const NEG = 0;
// @ts-ignore: decorator
@inline export const EXP = 1;
// @ts-ignore: decorator
@inline export const LOG = 2;
// @ts-ignore: decorator
@inline export const SQRT = 3;
// @ts-ignore: decorator
@inline export const RSQRT = 4;
// @ts-ignore: decorator
@inline export const ABS = 5;
// @ts-ignore: decorator
@inline export const SQUARE = 6;
// @ts-ignore: decorator
@inline export const RELU = 7;
// @ts-ignore: decorator
@inline export const GELU = 8;
// @ts-ignore: decorator
@inline export const SIGMOID = 9;
// @ts-ignore: decorator
@inline export const TANH = 10;
// @ts-ignore: decorator
@inline export const HARDSWISH = 11;
// @ts-ignore: decorator
@inline export const HARDSIGMOID = 12;
// @ts-ignore: decorator
@inline export const ERF = 13;

/** The backward of `op` reads x (the forward input). */
// @ts-ignore: decorator
@inline export function readsX(op: i32): bool {
  return (
    op == LOG || op == RSQRT || op == ABS || op == SQUARE || op == RELU || op == GELU ||
    op == HARDSWISH || op == HARDSIGMOID
  );
}

/** The backward of `op` reads y = f(x) (the forward output). */
// @ts-ignore: decorator
@inline export function readsY(op: i32): bool {
  return op == EXP || op == SQRT || op == RSQRT || op == SIGMOID || op == TANH;
}
