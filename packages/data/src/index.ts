export { writeFileAtomic } from './atomicWrite.js';
export {
  IMAGENET_MEAN,
  IMAGENET_STD,
  photometricNormalize,
  sampleImage,
  sampleLabel,
  type Window,
} from './augment.js';
export {
  type FramePaths,
  frameName,
  framePaths,
  listFrames,
  SPLITS,
  type Split,
} from './cityscapesLayout.js';
export { colorize, colorizeLabelIds } from './colorize.js';
export {
  type ColourBaselineScores,
  type ColourModel,
  evaluateColourBaseline,
  fitColourBaseline,
  nearestMeanClass,
} from './colourBaseline.js';
export {
  type CheckReport,
  type ClassFrequency,
  checkDataset,
  formatCheckReport,
  type SplitReport,
} from './datasetCheck.js';
export {
  decodeImage,
  decodePng,
  encodePng,
  isJpeg,
  isPng,
  type PngHeader,
  type RasterImage,
  readPngHeader,
} from './image.js';
export {
  type CityscapesLabel,
  CLASS_NAMES,
  ID,
  IGNORE_INDEX,
  LABEL_ID_TO_TRAIN_ID,
  LABELS,
  labelByName,
  labelIdsToTrainIds,
  MAX_LABEL_ID,
  NUM_CLASSES,
  PALETTE,
  TRAIN_ID_TO_LABEL_ID,
  TRAIN_LABELS,
} from './labels.js';
export {
  augmentFrame,
  type Batch,
  CityscapesDataset,
  type DatasetOptions,
  decodeFrame,
  type EvalOptions,
  epochOrder,
  evalBatches,
  type Frame,
  type TrainOptions,
  trainBatches,
} from './loader.js';
export { ConfusionMatrix, formatScores, type SegmentationScores } from './metrics.js';
export { mixSeed, Rng } from './rng.js';
export { renderSynthCity, SYNTHCITY_VERSION, type SynthFrame } from './synthCity.js';
export {
  runSynthJob,
  SYNTH_CITIES,
  SYNTH_MANIFEST,
  type SynthOptions,
  type SynthResult,
  synthFrame,
  writeSynthCity,
} from './synthWriter.js';
