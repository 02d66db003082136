// @edgeseg/runtime — run .edgeseg models with the WASM kernels.

// Image I/O for runners (re-exported so a board installs @edgeseg/runtime and nothing else of ours).
export { decodeImage, encodePng, isJpeg, isPng, MAX_PNG_PIXELS, type RasterImage } from '@edgeseg/image';
export { type BlockArch, checkArch, type SegFormerArch, type SegFormerConfig } from './arch.js';
export { HOROWITZ_45NM, JETSON_ORIN_NANO, RPI5 } from './builtinProfiles.js';
export {
  type CalibrationRecord,
  type EnergyProfile,
  type KernelMeasurement,
  parseProfile,
} from './energyProfile.js';
export { OpProfile, type ProfileEntry, profiledKernels } from './executor/profile.js';
export { type FrameProfile, profileFrames } from './executor/profileFrames.js';
export { type ExecutorLayout, SegFormerExecutor } from './executor/segformerExecutor.js';
export { Workspace } from './executor/workspace.js';
export {
  type ActQuant,
  archLayers,
  decodeEdgeseg,
  EDGESEG_FORMAT,
  type EdgesegMeta,
  type EdgesegModelFile,
  encodeEdgeseg,
  expectedTensors,
  isQuantized,
  type LayerKind,
  type LayerSpec,
  type Precision,
} from './format.js';
export { MAX_MODEL_BYTES, readEdgeseg, writeEdgeseg } from './formatFile.js';
export { argmaxScores, type LoadModelOptions, loadModel } from './loadModel.js';
export { exportOnnx, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportOptions } from './onnx/exportOnnx.js';
export { writeOnnx } from './onnx/onnxFile.js';
export { randomModelFile } from './randomModel.js';
export type { ModelInfo, SegmentationModel, SegmentationResult } from './segmentationModel.js';
export { availableThreads } from './threads/cores.js';
export { WorkerPool } from './threads/pool.js';
