// Entry of the simd128 builds (release, debug): everything in the scalar build plus `__simd` kernels.
export * from './index_scalar';
export * from './quantize/quantize_simd';
export * from './softmax/softmax_simd';
export * from './gemm_i8/gemm_i8_simd';
export * from './gemm_f32/gemm_f32_simd';
