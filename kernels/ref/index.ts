// @edgeseg/kernels/ref — the plain-TS reference twins: readable, slow, and the oracle of every test.

export * from './adamw_f32.js';
export * from './binary_f32.js';
export * from './dwconv_f32.js';
export * from './gemm_f32.js';
export * from './gemm_i8.js';
export * from './im2col_f32.js';
export * from './layernorm_f32.js';
export * from './lut_u8.js';
export * from './quantize.js';
export * from './reduce_f32.js';
export * from './resize_f32.js';
export * from './round.js';
export * from './softmax.js';
export * from './transpose_f32.js';
export * from './unary_f32.js';
