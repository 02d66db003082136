// @edgeseg/kernels — WASM SIMD kernels for edgeseg: loader, arena, typed wrappers.
export {
  Arena,
  type ArenaOptions,
  ArenaOutOfMemoryError,
  DTYPE_BYTES,
  type DType,
  TAIL_BYTES,
} from './arena.js';
export { type BufArg, type ConvGeomF32, checkBufs, checkConvGeom, convOutSize } from './checks.js';
export * from './families/adamwF32.js';
export * from './families/binaryF32.js';
export * from './families/dwconvF32.js';
export * from './families/gemmF32.js';
export * from './families/gemmI8.js';
export * from './families/im2colF32.js';
export * from './families/im2colI8.js';
export * from './families/layernormF32.js';
export * from './families/lutU8.js';
export * from './families/quantize.js';
export * from './families/reduceF32.js';
export * from './families/resizeF32.js';
export * from './families/softmax.js';
export * from './families/transposeF32.js';
export * from './families/unaryF32.js';
export {
  disableLiftoffOnNode,
  enableRelaxedSimdOnNode,
  isNode,
  isRelaxedSimdSupported,
  isSimdSupported,
  isThreadsSupported,
} from './features.js';
export { expectBuf, expectInt, KBuf } from './kbuf.js';
export type { Isa, KernelInfo, Tile } from './kernelInfo.js';
export { Kernels, type KernelsOptions, type RawKernel } from './kernels.js';
export {
  chooseBuild,
  type IsaChoice,
  kernelsFromModule,
  type LoadOptions,
  loadKernels,
  loadKernelsSync,
  wasmUrl,
} from './load.js';
export {
  ABI_VERSION,
  BUILD_ISAS,
  type BuildName,
  kernelsInBuild,
  kernelsOf,
  manifest,
  SHARED_MEMORY_BUILDS,
} from './manifest.js';
