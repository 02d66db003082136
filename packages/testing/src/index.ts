export { Rng } from './rng.js';
export {
  F32_EPS,
  FD_STEP,
  gemmF32MeanTolerance,
  gemmF32Tolerance,
  gradClose,
  maxAbs,
  SOFTMAX_ABS_TOL,
  SOFTMAX_REL_TOL,
  softmaxClose,
} from './tolerance.js';
