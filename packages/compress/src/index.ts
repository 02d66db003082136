// @edgeseg/compress — energy model, gates, Energy-Complexity loss, excision, QAT, conversion.

export {
  type Excised,
  type ExcisionPlan,
  excise,
  excisedArch,
  exciseGates,
  moveOptimizerState,
  planFromGates,
} from './dsp/excise.js';
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
