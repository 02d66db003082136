// Entry of the relaxed-SIMD build: everything in the simd128 build plus `__relaxed` kernels.
export * from './index_simd';
export * from './gemm_f32/gemm_f32_relaxed';
export * from './softmax/softmax_relaxed';
