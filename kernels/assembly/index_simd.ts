// Entry of the simd128 builds (release, debug): everything in the scalar build plus `__simd` kernels.
export * from './index_scalar';
export * from './quantize/quantize_simd';
export * from './softmax/softmax_simd';
export * from './gemm_i8/gemm_i8_simd';
export * from './gemm_f32/gemm_f32_simd';
export * from './dwconv_f32/dwconv_f32_simd';
export * from './im2col_f32/im2col_f32_simd';
export * from './im2col_i8/im2col_i8_simd';
export * from './resize_f32/resize_f32_simd';
export * from './layernorm_f32/layernorm_f32_simd';
export * from './transpose_f32/transpose_f32_simd';
export * from './unary_f32/unary_f32_simd';
export * from './binary_f32/binary_f32_simd';
export * from './reduce_f32/reduce_f32_simd';
export * from './adamw_f32/adamw_f32_simd';
