// @edgeseg/wasm-contract — checks every built kernel .wasm against the kernel manifest.
export {
  BUILDS,
  type BuildReport,
  type ContractReport,
  checkBuilds,
  checkModule,
  defaultBuildDir,
  type Violation,
  type ViolationKind,
} from './contract.js';
export {
  DecodeError,
  decodeCode,
  type FunctionOps,
  RELAXED_FIRST,
  RELAXED_LAST,
  sections,
} from './opcodes.js';
