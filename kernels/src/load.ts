// load.ts — find, compile and instantiate the kernel .wasm for this host.
//
// Order: (1) feature-detect with validate() probes; (2) read the bytes (fs in Node, fetch in a
// browser); (3) compile once per build, instantiate per `loadKernels()` call so each caller (or
// worker) gets its own memory; (4) a small state machine per build so concurrent callers share one
// compile and a failure is reported the same way to all of them.
//
// Build choice with `isa: 'auto'`: relaxed (if the engine validates relaxed SIMD, after enabling it
// on Node 20) → simd128 → scalar.
import { enableRelaxedSimdOnNode, enableRelaxedSimdOnNodeSync, isNode, isSimdSupported } from './features.js';
import { Kernels } from './kernels.js';
import { ABI_VERSION, type BuildName } from './manifest.js';

export type IsaChoice = 'auto' | 'relaxed' | 'simd128' | 'scalar';

export interface LoadOptions {
  /** Which instruction set to use; `auto` picks the best the engine supports. */
  isa?: IsaChoice;
  /** `debug` = the simd128 build with assertions (preconditions trap). */
  debug?: boolean;
  /** Load from these bytes instead of the packaged file (a host that ships the .wasm itself). */
  wasmBytes?: Uint8Array;
}

type State =
  | { kind: 'uninitialized' }
  | { kind: 'loading'; promise: Promise<WebAssembly.Module> }
  | { kind: 'ready'; module: WebAssembly.Module }
  | { kind: 'failed'; error: Error };

const states = new Map<BuildName, State>();

export function wasmUrl(build: BuildName): URL {
  // src/ and dist/src/ are both two levels under kernels/… resolve from this file's own location.
  return new URL(
    `${import.meta.url.includes('/dist/') ? '../../' : '../'}build/${build}.wasm`,
    import.meta.url,
  );
}

/** Which build `opts` selects on this host (may enable relaxed SIMD on Node 20 as a side effect). */
export async function chooseBuild(opts: LoadOptions = {}): Promise<BuildName> {
  const isa = opts.isa ?? 'auto';
  if (opts.debug) {
    if (!isSimdSupported())
      throw new Error('kernels: the debug build needs WASM SIMD, which this engine lacks.');
    return 'debug';
  }
  if (isa === 'scalar') return 'scalar';
  if (isa === 'simd128') {
    if (!isSimdSupported())
      throw new Error('kernels: isa "simd128" was asked for, but this engine lacks WASM SIMD.');
    return 'release';
  }
  if (isa === 'relaxed') {
    if (!(await enableRelaxedSimdOnNode())) {
      throw new Error(
        'kernels: isa "relaxed" was asked for, but this engine does not validate relaxed SIMD.',
      );
    }
    return 'relaxed';
  }
  if (!isSimdSupported()) return 'scalar';
  return (await enableRelaxedSimdOnNode()) ? 'relaxed' : 'release';
}

async function readBytes(build: BuildName): Promise<Uint8Array> {
  const url = wasmUrl(build);
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    try {
      return new Uint8Array(await readFile(url));
    } catch (e) {
      throw new Error(
        `kernels: cannot read ${url.pathname} (${(e as Error).message}). Build the kernels first: npm run build -w kernels.`,
      );
    }
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`kernels: fetching ${url.href} failed with HTTP ${res.status}.`);
  return new Uint8Array(await res.arrayBuffer());
}

async function compiled(build: BuildName): Promise<WebAssembly.Module> {
  const s = states.get(build) ?? { kind: 'uninitialized' };
  switch (s.kind) {
    case 'ready':
      return s.module;
    case 'loading':
      return s.promise;
    case 'failed':
      throw s.error;
    case 'uninitialized': {
      const promise = readBytes(build).then((bytes) => WebAssembly.compile(bytes as BufferSource));
      states.set(build, { kind: 'loading', promise });
      try {
        const module = await promise;
        states.set(build, { kind: 'ready', module });
        return module;
      } catch (e) {
        const error = new Error(`kernels: failed to compile the ${build} build: ${(e as Error).message}`);
        states.set(build, { kind: 'failed', error });
        throw error;
      }
    }
  }
}

function instantiate(module: WebAssembly.Module, build: BuildName): Kernels {
  const instance = new WebAssembly.Instance(module, {});
  const exports = instance.exports as Record<string, unknown>;
  const abi = (exports.abi_version as () => number)();
  if (abi !== ABI_VERSION) {
    throw new Error(
      `kernels: ${build}.wasm has ABI version ${abi}. Expected ${ABI_VERSION}; rebuild the kernels.`,
    );
  }
  return new Kernels(instance, build);
}

/** Load the kernels: one fresh instance (own memory and arena) per call. */
export async function loadKernels(opts: LoadOptions = {}): Promise<Kernels> {
  const build = await chooseBuild(opts);
  if (opts.wasmBytes) return instantiate(await WebAssembly.compile(opts.wasmBytes as BufferSource), build);
  return instantiate(await compiled(build), build);
}

/** Node-only synchronous load (tests, CLIs, worker start-up). */
export function loadKernelsSync(opts: LoadOptions = {}): Kernels {
  if (!isNode)
    throw new Error('kernels: loadKernelsSync works in Node only; use await loadKernels() elsewhere.');
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (!getBuiltin) throw new Error('kernels: loadKernelsSync needs Node ≥ 20.16 (process.getBuiltinModule).');
  const fs = getBuiltin('node:fs') as typeof import('node:fs');
  const v8 = getBuiltin('node:v8') as typeof import('node:v8');
  const isa = opts.isa ?? 'auto';
  let build: BuildName;
  if (opts.debug) build = 'debug';
  else if (isa === 'scalar' || (isa === 'auto' && !isSimdSupported())) build = 'scalar';
  else if (isa === 'simd128') build = 'release';
  else if (enableRelaxedSimdOnNodeSync(v8)) build = 'relaxed';
  else if (isa === 'relaxed') {
    throw new Error('kernels: isa "relaxed" was asked for, but this engine does not validate relaxed SIMD.');
  } else build = 'release';
  const s = states.get(build);
  if (s?.kind === 'ready') return instantiate(s.module, build);
  if (s?.kind === 'failed') throw s.error;
  const url = wasmUrl(build);
  let bytes: Uint8Array;
  try {
    bytes = opts.wasmBytes ?? new Uint8Array(fs.readFileSync(url));
  } catch (e) {
    throw new Error(
      `kernels: cannot read ${url.pathname} (${(e as Error).message}). Build the kernels first: npm run build -w kernels.`,
    );
  }
  const module = new WebAssembly.Module(bytes as BufferSource);
  if (!opts.wasmBytes) states.set(build, { kind: 'ready', module });
  return instantiate(module, build);
}
