// @edgeseg/pi-runner — the edgeseg-run CLI, callable in-process (what the tests use).
export { buildProfile, type CalibrationResult, type CaseResult } from './calibrate/buildProfile.js';
export { type CalibrateOptions, runCalibration } from './calibrate/calibrate.js';
export { KERNEL_CASES } from './calibrate/kernelCases.js';
export { defaultDeps, type RunnerDeps } from './deps.js';
export { type Board, type Device, detectDevice } from './device.js';
export { ESTIMATES } from './estimates.js';
export { type Io, type OutStream, UsageError } from './io.js';
export { buildProgram, main, VERSION } from './main.js';
export { type ModelFactory, runtimeModelFactory } from './modelFactory.js';
export { hostSensors, type SensorEnv } from './power/env.js';
export type { EnergyMeter, EnergySource, EnergyWindow } from './power/meter.js';
export { ModelMeter, modelledFrameJoules } from './power/model.js';
export { type MeterChoice, type PowerChoice, selectMeter } from './power/select.js';
export { ThermalMonitor, type ThermalReading } from './power/thermal.js';
export { type RunOptions, type RunSummary, runModel } from './runner.js';
