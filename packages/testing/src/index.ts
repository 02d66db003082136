export {
  adamwF32Tolerances,
  blockedSumF32Tolerance,
  ERF_F32_ABS_TOL,
  F32_UNIT_ROUNDOFF,
  f32Ulp,
  geluF32Tolerance,
  geluGradF32Tolerance,
  mulAddF32Tolerance,
  ulpClose,
} from './elementwise.js';
export { Rng } from './rng.js';
export {
  bilinearF32Tolerance,
  F32_EPS,
  FD_STEP,
  gemmF32MeanTolerance,
  gemmF32Tolerance,
  gradClose,
  layerNormF32Tolerance,
  layerNormGradF32Tolerance,
  maxAbs,
  SOFTMAX_ABS_TOL,
  SOFTMAX_REL_TOL,
  softmaxClose,
  sumF32Tolerance,
} from './tolerance.js';
