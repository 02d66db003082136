export { type Profile, profileBackend } from './profile.js';
export { benchTraining, type TrainBenchOptions, type TrainBenchRow } from './run.js';
