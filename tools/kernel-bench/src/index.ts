// @edgeseg/kernel-bench — benchmark the kernels programmatically (the CLI is cli.ts).
export { type BenchArgs, FAMILIES, HELP, PEERS, parseArgs } from './args.js';
export { type Ceiling, type CeilingKind, ceilingModule, measureCeiling } from './ceiling.js';
export { addRatios, formatTable, geomean, type Row } from './report.js';
export { type BenchResult, loadGemmShapes, runBench } from './run.js';
export {
  formatShapesFile,
  type GemmShape,
  parseShapesFile,
  SEGFORMER_B0,
  segformerGemmShapes,
} from './segformerShapes.js';
export { timeIt } from './timing.js';
