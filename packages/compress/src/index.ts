// @edgeseg/compress — energy model, gates, Energy-Complexity loss, excision, QAT, conversion.

export {
  BUDGET_TOLERANCE,
  type DistillConfig,
  type DspConfig,
  type DspHistoryPoint,
  type DspResult,
  type GateTrace,
  planForBudget,
  runDsp,
  type StageIo,
} from './dsp/dspStage.js';
export { EnergyComplexityLoss, type EnergyLossOptions } from './dsp/energyLoss.js';
export {
  type Excised,
  type ExcisionPlan,
  excise,
  excisedArch,
  exciseGates,
  moveOptimizerState,
  planFromGates,
} from './dsp/excise.js';
export { archCost, type Objective, type ObjectiveKind, objectiveFor } from './dsp/objective.js';
export {
  costEnergy,
  type EnergyBreakdown,
  type ModelEnergy,
  modelEnergy,
  type UnitEnergy,
} from './energy/energyModel.js';
export {
  BUILTIN_PROFILES,
  type EnergyProfile,
  HOROWITZ_45NM,
  JETSON_ORIN_NANO,
  type Precision,
  parseProfile,
  RPI5,
  resolveProfile,
} from './energy/profile.js';
export { HardConcrete, type HardConcreteOptions } from './gates/hardConcrete.js';
export { anyOpen, type GateOptions, SegFormerGates } from './gates/segformerGates.js';
export type { BenchEntry, BenchResult } from './pipeline/benchStage.js';
export {
  checkConfig,
  configDiff,
  type DataSpec,
  type PipelineConfig,
  PRESETS,
  presetConfig,
  type TrainBudget,
} from './pipeline/config.js';
export { type PipelineIo, Stopped } from './pipeline/context.js';
export { evaluateRuntime, labelsAt, type RuntimeEval } from './pipeline/evaluateRuntime.js';
export { cnnEnergy, loadAnyFloatModel, loadCnn, newCnn, saveCnn } from './pipeline/models.js';
export { buildReport, describeArch } from './pipeline/reportStage.js';
export { type PipelineResult, runPipeline, STAGES } from './pipeline/runPipeline.js';
export { runTrain, type TrainRunResult } from './pipeline/runTrain.js';
export { type ConvertOptions, convertFloat, convertInt8 } from './qat/convert.js';
export { foldDecoderBn } from './qat/foldBn.js';
export { type QatOptions, QatSegFormer } from './qat/qatModel.js';
export {
  ActQuantizer,
  asymmetricParams,
  type Observer,
  type Rounding,
  roundHalfEven,
  SCALE_FLOOR,
  WeightQuantizer,
} from './qat/quantizers.js';
export { attentionMaps, type StageAttention } from './report/attentionMaps.js';
export { BatchSource, imagesToTensor } from './train/batchSource.js';
export { argmaxClasses, type EvalResult, evaluate } from './train/evaluate.js';
export {
  checkpointArch,
  FLOAT_MODEL_FORMAT,
  loadFloatModel,
  loadTrainingState,
  saveFloatModel,
  saveTrainingState,
  TrainingBundle,
} from './train/modelFile.js';
export { recalibrateBatchNorm } from './train/recalibrateBn.js';
export { StageDir, type StageInput, type StageRecord } from './train/stageDir.js';
export {
  bindModelRng,
  type SegModel,
  type TrainConfig,
  type TrainPoint,
  type TrainResult,
  trainModel,
} from './train/trainLoop.js';
