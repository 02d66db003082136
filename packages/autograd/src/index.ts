// @edgeseg/autograd — eager tensors with forward and backward side by side.

export { erf } from '@edgeseg/kernels/ref';
export type { Backend, BinaryOp, ConvGeom, FArray, GemmArgs, Storage, UnaryOp } from './backend/backend.js';
export { RefBackend } from './backend/ref.js';
export { WasmBackend } from './backend/wasm.js';
export { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint.js';
export { BackwardNotSupported, Function, isGradEnabled, noGrad, tidy } from './function.js';
export { channelWiseDistill, crossEntropy, klDistill, mse } from './losses.js';
export { BatchNorm, Conv2d, Dropout, DropPath, DWConv2d, LayerNorm, Linear } from './nn/layers.js';
export { buffer, Module } from './nn/module.js';
export * as ops from './ops/index.js';
export { AdamW, Optimizer, type ParamGroup, SGD } from './optim/optimizer.js';
export { type PolySchedule, polyLr } from './optim/schedule.js';
export { Rng } from './rng.js';
export { fmtShape, type Shape, sizeOf, Tensor } from './tensor.js';
