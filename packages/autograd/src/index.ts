// @edgeseg/autograd — eager tensors with forward and backward side by side.
export type { Backend, BinaryOp, ConvGeom, FArray, GemmArgs, Storage, UnaryOp } from './backend/backend.js';
export { erf } from './backend/erf.js';
export { RefBackend } from './backend/ref.js';
export { BackwardNotSupported, Function, isGradEnabled, noGrad, tidy } from './function.js';
export * as ops from './ops/index.js';
export { fmtShape, type Shape, sizeOf, Tensor } from './tensor.js';
