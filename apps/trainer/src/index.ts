export { type BenchResult, runDataBench } from './commands/dataBench.js';
export { type Io, type OutStream, parseCount, parseSize, UsageError } from './io.js';
export { buildProgram, main, VERSION } from './main.js';
export { createProgress, type Progress } from './progress.js';
