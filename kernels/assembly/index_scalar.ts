// Entry of the scalar build (hosts without WASM SIMD): the ABI plus every `__scalar` kernel.
export * from './abi';
export * from './quantize/quantize_scalar';
export * from './softmax/softmax_scalar';
export * from './gemm_i8/gemm_i8_scalar';
export * from './gemm_f32/gemm_f32_scalar';
export * from './dwconv_f32/dwconv_f32_scalar';
export * from './im2col_f32/im2col_f32_scalar';
export * from './im2col_i8/im2col_i8_scalar';
export * from './lut_u8/lut_u8_scalar';
export * from './resize_f32/resize_f32_scalar';
export * from './layernorm_f32/layernorm_f32_scalar';
export * from './transpose_f32/transpose_f32_scalar';
export * from './unary_f32/unary_f32_scalar';
export * from './binary_f32/binary_f32_scalar';
export * from './reduce_f32/reduce_f32_scalar';
export * from './adamw_f32/adamw_f32_scalar';
