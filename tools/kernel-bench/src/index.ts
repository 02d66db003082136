// @edgeseg/kernel-bench — benchmark the kernels programmatically (the CLI is cli.ts).
export { type BenchArgs, FAMILIES, HELP, PEERS, parseArgs } from './args.js';
export {
  bestOfCeilings,
  CEILING_VARIANTS,
  type Ceiling,
  type CeilingKind,
  type CeilingProbe,
  type CeilingVariant,
  ceilingModule,
  ceilingProbe,
  measureCeiling,
} from './ceiling.js';
export { CHECK_BUDGET, MismatchError, sampleRowBands } from './check.js';
export { addRatios, BEST_WASM, formatTable, geomean, type Row } from './report.js';
export { AWKWARD_GEMM_SHAPES, type BenchResult, loadGemmShapes, type MachineInfo, runBench } from './run.js';
export {
  formatShapesFile,
  type GemmShape,
  parseShapesFile,
  SEGFORMER_B0,
  segformerGemmShapes,
} from './segformerShapes.js';
export { type Clock, clockSeconds, timeIt } from './timing.js';
export { formatVerdicts, type Verdict, verdicts } from './verdicts.js';
