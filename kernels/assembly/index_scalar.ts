// Entry of the scalar build (hosts without WASM SIMD): the ABI plus every `__scalar` kernel.
export * from './abi';
export * from './quantize/quantize_scalar';
export * from './softmax/softmax_scalar';
export * from './gemm_i8/gemm_i8_scalar';
export * from './gemm_f32/gemm_f32_scalar';
