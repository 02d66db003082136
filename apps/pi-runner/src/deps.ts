// deps.ts — what the commands take from the outside world, injectable for tests: the model loader, the
// sensors (sysfs root, command runner, clock) and how often a soak prints.
import { type ModelFactory, runtimeModelFactory } from './modelFactory.js';
import { hostSensors, type SensorEnv } from './power/env.js';

export interface RunnerDeps {
  loadModel: ModelFactory;
  sensors: SensorEnv;
  /** Milliseconds between soak progress lines and thermal samples. */
  soakReportMs: number;
}

export const defaultDeps: RunnerDeps = {
  loadModel: runtimeModelFactory,
  sensors: hostSensors,
  soakReportMs: 5000,
};
