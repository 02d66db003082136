// contract.ts — the checks: one built kernel .wasm against what the manifest says that build holds.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmUrl } from '@edgeseg/kernels';
import {
  ABI_EXPORTS,
  ABI_VERSION,
  type BuildName,
  type KernelInfo,
  kernelsInBuild,
  SHARED_MEMORY_BUILDS,
} from '@edgeseg/kernels/manifest';
import { decode, type Func, type ModuleExport, type ModuleImport } from '@webassemblyjs/wasm-parser';
import { decodeCode, type FunctionOps } from './opcodes.js';

export const BUILDS: readonly BuildName[] = [
  'release',
  'debug',
  'relaxed',
  'scalar',
  'release-mt',
  'relaxed-mt',
];

/** Builds compiled with SIMD128 (all but `scalar`). */
const SIMD_BUILDS: ReadonlySet<BuildName> = new Set([
  'release',
  'debug',
  'relaxed',
  'release-mt',
  'relaxed-mt',
]);

/** Builds compiled with relaxed SIMD. */
const RELAXED_BUILDS: ReadonlySet<BuildName> = new Set(['relaxed', 'relaxed-mt']);

/** What a threaded build imports: exactly this, a shared memory. */
const SHARED_MEMORY_IMPORT = 'env.memory';

interface MemoryLimits {
  min: number;
  max?: number;
  shared?: boolean;
}

/** Value types a kernel may take or return at the boundary: pointers and sizes (i32), scalars (f32). */
const BOUNDARY_TYPES: ReadonlySet<string> = new Set(['i32', 'f32']);

export type ViolationKind =
  | 'file'
  | 'decode'
  | 'import'
  | 'missing-export'
  | 'unexpected-export'
  | 'signature'
  | 'abi-version'
  | 'simd'
  | 'relaxed';

export interface Violation {
  build: BuildName;
  file: string;
  /** The export concerned, when there is one. */
  export?: string;
  kind: ViolationKind;
  message: string;
}

export interface BuildReport {
  build: BuildName;
  file: string;
  imports: number;
  exports: number;
  functions: number;
  /** SIMD instructions (0xFD prefix) in the whole code section, relaxed ones included. */
  simdOps: number;
  relaxedOps: number;
  violations: Violation[];
}

export interface ContractReport {
  ok: boolean;
  builds: BuildReport[];
  violations: Violation[];
}

/** Where the kernels package keeps its builds (kernels/build/). */
export function defaultBuildDir(): string {
  return dirname(fileURLToPath(wasmUrl('release')));
}

/** Functions reachable from `start` through direct calls (indirect calls have no static callee). */
function reachable(start: number, byIndex: Map<number, FunctionOps>): FunctionOps[] {
  const seen = new Set<number>([start]);
  const stack = [start];
  const out: FunctionOps[] = [];
  while (stack.length > 0) {
    const f = byIndex.get(stack.pop()!);
    if (!f) continue; // an imported function: no body here
    out.push(f);
    for (const c of f.calls) {
      if (!seen.has(c)) {
        seen.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

const sum = (fs: FunctionOps[], key: 'simd' | 'relaxed') => fs.reduce((s, f) => s + f[key], 0);
const firstWith = (fs: FunctionOps[], key: 'simd' | 'relaxed') => fs.find((f) => f[key] > 0)?.index;

/**
 * Check one module. `kernels` = the manifest entries this build must export (default: the
 * manifest's `kernelsInBuild(build)`).
 */
export function checkModule(
  bytes: Uint8Array,
  build: BuildName,
  file: string,
  kernels: readonly KernelInfo[] = kernelsInBuild(build),
): BuildReport {
  const name = basename(file);
  const report: BuildReport = {
    build,
    file,
    imports: 0,
    exports: 0,
    functions: 0,
    simdOps: 0,
    relaxedOps: 0,
    violations: [],
  };
  const fail = (kind: ViolationKind, message: string, exp?: string) =>
    report.violations.push({
      build,
      file,
      kind,
      message: `${name}: ${message}`,
      ...(exp ? { export: exp } : {}),
    });

  let fields: { type: string }[];
  let code: FunctionOps[];
  try {
    fields = decode(bytes, {
      ignoreCodeSection: true,
      ignoreDataSection: true,
      ignoreCustomNameSection: true,
    }).body[0].fields;
  } catch (e) {
    fail('decode', `cannot be parsed (${(e as Error).message}). Expected a valid WebAssembly module.`);
    return report;
  }
  const imports = fields.filter((f): f is ModuleImport => f.type === 'ModuleImport');
  const exports = fields.filter((f): f is ModuleExport => f.type === 'ModuleExport');
  const importedFuncs = imports.filter((i) => i.descr.type === 'FuncImportDescr');
  const signatures = [
    ...importedFuncs.map((i) => i.descr.signature!),
    ...fields.filter((f): f is Func => f.type === 'Func').map((f) => f.signature),
  ];
  try {
    code = decodeCode(bytes, importedFuncs.length, name);
  } catch (e) {
    fail('decode', `${(e as Error).message} Expected a code section this decoder can walk.`);
    return report;
  }
  report.imports = imports.length;
  report.exports = exports.length;
  report.functions = code.length;
  report.simdOps = sum(code, 'simd');
  report.relaxedOps = sum(code, 'relaxed');

  // Imports: none (runtime "stub" and `use abort=` leave nothing for a host to provide), except in
  // the threaded builds: exactly `env.memory`, shared (the memory the threads share).
  const threaded = SHARED_MEMORY_BUILDS.includes(build);
  let sharedLimits: MemoryLimits | undefined;
  for (const i of imports) {
    const kind = i.descr.type.replace(/ImportDescr$/, '').toLowerCase();
    if (threaded && `${i.module}.${i.name}` === SHARED_MEMORY_IMPORT && i.descr.type === 'Memory') {
      const limits = (i.descr as unknown as { limits: MemoryLimits }).limits;
      if (limits.shared) sharedLimits = limits;
      else
        fail(
          'import',
          `imports ${SHARED_MEMORY_IMPORT} unshared. Expected a shared memory in the ${build} build.`,
        );
      continue;
    }
    fail(
      'import',
      threaded
        ? `imports ${i.module}.${i.name} (${kind}). Expected only ${SHARED_MEMORY_IMPORT} (shared) in the ${build} build.`
        : `imports ${i.module}.${i.name} (${kind}). Expected no imports (runtime "stub", use abort=), got ${imports.length}.`,
    );
  }
  if (threaded && !imports.some((i) => `${i.module}.${i.name}` === SHARED_MEMORY_IMPORT)) {
    fail(
      'import',
      `does not import ${SHARED_MEMORY_IMPORT}. Expected a shared memory import in the ${build} build.`,
    );
  }

  // Exports: exactly the manifest's kernels for this build, the ABI functions and the memory.
  const byName = new Map(exports.map((e) => [e.name, e]));
  const kernelByName = new Map(kernels.map((k) => [k.name, k]));
  const expectedFuncs = new Set<string>([...kernels.map((k) => k.name), ...ABI_EXPORTS]);
  for (const want of expectedFuncs) {
    if (!byName.has(want)) {
      const why = kernelByName.has(want)
        ? `the manifest lists it for the ${build} build`
        : 'every build has it';
      fail('missing-export', `export ${want} is missing. Expected it: ${why}.`, want);
    }
  }
  const mem = byName.get('memory');
  if (!mem)
    fail('missing-export', 'exports no memory. Expected an exported memory named "memory".', 'memory');
  else if (mem.descr.exportType !== 'Memory') {
    fail('unexpected-export', `export memory is a ${mem.descr.exportType}. Expected a memory.`, 'memory');
  }
  for (const e of exports) {
    if (e.name === 'memory') continue;
    if (!expectedFuncs.has(e.name)) {
      fail(
        'unexpected-export',
        `export ${e.name} (${e.descr.exportType.toLowerCase()}) is not in the manifest. Expected only the ` +
          `manifest's ${build} kernels, ${ABI_EXPORTS.join(', ')} and memory.`,
        e.name,
      );
      continue;
    }
    if (e.descr.exportType !== 'Func') {
      fail('unexpected-export', `export ${e.name} is a ${e.descr.exportType}. Expected a function.`, e.name);
      continue;
    }
    // Signature: only i32/f32 cross the boundary (no v128, no i64: JS hosts would need BigInt or fail).
    const sig = signatures[e.descr.id.value];
    if (!sig) continue;
    const params = sig.params.map((p) => p.valtype);
    const bad = params.findIndex((t) => !BOUNDARY_TYPES.has(t));
    if (bad >= 0) {
      fail(
        'signature',
        `export ${e.name} takes a ${params[bad]} at parameter ${bad}. Expected only i32/f32 parameters, ` +
          `got (${params.join(', ')}).`,
        e.name,
      );
    }
    if (sig.results.length > 1 || sig.results.some((t) => !BOUNDARY_TYPES.has(t))) {
      fail(
        'signature',
        `export ${e.name} returns (${sig.results.join(', ')}). Expected nothing or one i32/f32.`,
        e.name,
      );
    }
  }

  // SIMD opcodes: present in the SIMD128 builds, absent from the scalar one; relaxed ones only in
  // the relaxed build, and there exactly when the manifest has relaxed kernels.
  const hasSimd = SIMD_BUILDS.has(build);
  if (hasSimd && report.simdOps === 0) {
    fail('simd', `has no SIMD instructions. Expected some in the ${build} build (built with SIMD128).`);
  }
  if (!hasSimd && report.simdOps > 0) {
    fail(
      'simd',
      `has ${report.simdOps} SIMD instructions (first in function ${firstWith(code, 'simd')}). Expected none in the scalar build.`,
    );
  }
  const relaxedKernels = kernels.filter((k) => k.isa === 'relaxed').length;
  if (!RELAXED_BUILDS.has(build) && report.relaxedOps > 0) {
    fail(
      'relaxed',
      `has ${report.relaxedOps} relaxed-SIMD instructions (first in function ${firstWith(code, 'relaxed')}). ` +
        `Expected them only in the relaxed builds.`,
    );
  }
  if (RELAXED_BUILDS.has(build) && relaxedKernels > 0 && report.relaxedOps === 0) {
    fail(
      'relaxed',
      `has no relaxed-SIMD instructions. Expected some: the manifest lists ${relaxedKernels} relaxed kernels.`,
    );
  }

  // Per kernel, through its call graph: the ISA in its name is the ISA of its code.
  const byIndex = new Map(code.map((f) => [f.index, f]));
  for (const k of kernels) {
    const e = byName.get(k.name);
    if (e?.descr.exportType !== 'Func') continue;
    const fs = reachable(e.descr.id.value, byIndex);
    const simd = sum(fs, 'simd');
    const relaxed = sum(fs, 'relaxed');
    if (k.isa === 'scalar' && simd > 0) {
      fail(
        'simd',
        `export ${k.name} reaches ${simd} SIMD instructions (function ${firstWith(fs, 'simd')}). Expected none in a scalar kernel.`,
        k.name,
      );
    }
    if (k.isa === 'simd128' && simd === 0) {
      fail(
        'simd',
        `export ${k.name} reaches no SIMD instruction. Expected a simd128 kernel to use SIMD.`,
        k.name,
      );
    }
    if (k.isa === 'simd128' && relaxed > 0) {
      fail(
        'relaxed',
        `export ${k.name} reaches ${relaxed} relaxed-SIMD instructions. Expected none in a simd128 kernel.`,
        k.name,
      );
    }
    if (k.isa === 'relaxed' && relaxed === 0) {
      fail(
        'relaxed',
        `export ${k.name} reaches no relaxed-SIMD instruction. Expected a relaxed kernel to use them.`,
        k.name,
      );
    }
  }

  // ABI version, where this engine can compile the module (relaxed needs a flag on Node 20).
  const importsOk = imports.length === 0 || (imports.length === 1 && sharedLimits !== undefined);
  if (importsOk && byName.get('abi_version')?.descr.exportType === 'Func' && validates(bytes)) {
    const env: WebAssembly.Imports = sharedLimits
      ? {
          env: {
            memory: new WebAssembly.Memory({
              initial: sharedLimits.min,
              maximum: sharedLimits.max ?? sharedLimits.min,
              shared: true,
            }),
          },
        }
      : {};
    const got = (
      new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), env).exports
        .abi_version as () => number
    )();
    if (got !== ABI_VERSION) {
      fail('abi-version', `abi_version() returns ${got}. Expected ${ABI_VERSION} (manifest.ts ABI_VERSION).`);
    }
  }
  return report;
}

function validates(bytes: Uint8Array): boolean {
  try {
    return WebAssembly.validate(bytes as BufferSource);
  } catch {
    return false;
  }
}

/** Check every build in `dir` (default: the kernels package's build/ folder). */
export function checkBuilds(opts: { dir?: string; builds?: readonly BuildName[] } = {}): ContractReport {
  const dir = opts.dir ?? defaultBuildDir();
  const builds: BuildReport[] = [];
  for (const build of opts.builds ?? BUILDS) {
    const file = join(dir, `${build}.wasm`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (e) {
      const message = `${build}.wasm: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Expected a built file: run npm run build -w kernels.`;
      builds.push({
        build,
        file,
        imports: 0,
        exports: 0,
        functions: 0,
        simdOps: 0,
        relaxedOps: 0,
        violations: [{ build, file, kind: 'file', message }],
      });
      continue;
    }
    builds.push(checkModule(bytes, build, file));
  }
  const violations = builds.flatMap((b) => b.violations);
  return { ok: violations.length === 0, builds, violations };
}
