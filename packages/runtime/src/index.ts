// @edgeseg/runtime — run .edgeseg models with the WASM kernels.
export type { ModelInfo, SegmentationModel, SegmentationResult } from './segmentationModel.js';
