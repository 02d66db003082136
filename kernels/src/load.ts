// load.ts — find, compile and instantiate the kernel .wasm for this host.
//
// Order: (1) feature-detect with validate() probes; (2) read the bytes (fs in Node, fetch in a
// browser); (3) compile once per build, instantiate per `loadKernels()` call so each caller (or
// worker) gets its own memory; (4) a small state machine per build so concurrent callers share one
// compile and a failure is reported the same way to all of them.
//
// Build choice with `isa: 'auto'`: relaxed (if the engine validates relaxed SIMD, after enabling it
// on Node 20) → simd128 → scalar.
//
// Threads (`threads: true` or `memory`): the `-mt` twin of the chosen build, which imports a shared
// `env.memory`. `threads: true` creates that memory (this instance's arena owns it); `memory` joins
// one another thread created (the arena is borrowed: views, no allocation). Each instance has its
// own globals; the data segments are re-copied at every instantiation with the same bytes, below
// `heap_base()`, where no arena block ever lies.

import { MAX_PAGES } from './arena.js';
import {
  disableLiftoffOnNode,
  disableLiftoffOnNodeSync,
  enableRelaxedSimdOnNode,
  enableRelaxedSimdOnNodeSync,
  isNode,
  isSimdSupported,
  isThreadsSupported,
} from './features.js';
import { Kernels } from './kernels.js';
import { ABI_VERSION, type BuildName, SHARED_MEMORY_BUILDS } from './manifest.js';

export type IsaChoice = 'auto' | 'relaxed' | 'simd128' | 'scalar';

export interface LoadOptions {
  /** Which instruction set to use; `auto` picks the best the engine supports. */
  isa?: IsaChoice;
  /** `debug` = the simd128 build with assertions (preconditions trap). */
  debug?: boolean;
  /** Load from these bytes instead of the packaged file (a host that ships the .wasm itself). */
  wasmBytes?: Uint8Array;
  /** Instantiate the threaded build on a new shared memory that this instance's arena owns. */
  threads?: boolean;
  /** Instantiate the threaded build on this shared memory (made by another thread's instance). */
  memory?: WebAssembly.Memory;
  /** Maximum pages of the shared memory `threads: true` creates (default 65536 = 4 GiB). */
  maximumPages?: number;
}

/** The threaded twin of a build. */
function threaded(build: BuildName): BuildName {
  if (build === 'release') return 'release-mt';
  if (build === 'relaxed') return 'relaxed-mt';
  throw new Error(
    `kernels: no threaded variant of the ${build} build. Expected isa "auto", "simd128" or "relaxed" (without debug) with threads.`,
  );
}

function wantsThreads(opts: LoadOptions): boolean {
  if (opts.memory !== undefined) {
    if (!(opts.memory instanceof WebAssembly.Memory) || !isSharedMemory(opts.memory)) {
      throw new Error(
        'kernels: memory must be a shared WebAssembly.Memory. Expected { shared: true }, got an unshared one.',
      );
    }
    return true;
  }
  if (!opts.threads) return false;
  if (!isThreadsSupported()) {
    throw new Error(
      'kernels: threads were asked for, but this engine lacks shared WebAssembly memory (SharedArrayBuffer; a ' +
        'browser page must be cross-origin isolated). Load without threads.',
    );
  }
  return true;
}

function isSharedMemory(m: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && m.buffer instanceof SharedArrayBuffer;
}

/**
 * A shared memory for the threaded builds. The module declares maximum 65536 pages, so any maximum up
 * to that fits its import; a 32-bit host may refuse to reserve 4 GiB, so smaller ones are tried.
 */
function sharedMemory(maximumPages = MAX_PAGES): { memory: WebAssembly.Memory; maxPages: number } {
  if (!Number.isInteger(maximumPages) || maximumPages < 1 || maximumPages > MAX_PAGES) {
    throw new Error(
      `kernels: maximumPages is out of range. Expected an integer in [1, ${MAX_PAGES}], got ${maximumPages}.`,
    );
  }
  let err: unknown;
  for (const max of [maximumPages, 16384, 4096].filter((p) => p <= maximumPages)) {
    try {
      return { memory: new WebAssembly.Memory({ initial: 1, maximum: max, shared: true }), maxPages: max };
    } catch (e) {
      err = e;
    }
  }
  throw new Error(
    `kernels: cannot create a shared memory of up to ${maximumPages} pages (${(err as Error).message}).`,
  );
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
  if (!wantsThreads(opts)) return chooseSingleBuild(opts);
  const build = threaded(await chooseSingleBuild(opts));
  await disableLiftoffOnNode();
  return build;
}

async function chooseSingleBuild(opts: LoadOptions): Promise<BuildName> {
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

function instantiate(module: WebAssembly.Module, build: BuildName, opts: LoadOptions = {}): Kernels {
  if (!SHARED_MEMORY_BUILDS.includes(build))
    return checked(new WebAssembly.Instance(module, {}), build, { module });
  if (opts.memory) {
    const instance = new WebAssembly.Instance(module, { env: { memory: opts.memory } });
    return checked(instance, build, { module, arena: { borrowed: true } });
  }
  const { memory, maxPages } = sharedMemory(opts.maximumPages);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return checked(instance, build, { module, arena: { maxPages } });
}

function checked(
  instance: WebAssembly.Instance,
  build: BuildName,
  o: ConstructorParameters<typeof Kernels>[2],
): Kernels {
  const exports = instance.exports as Record<string, unknown>;
  const abi = (exports.abi_version as () => number)();
  if (abi !== ABI_VERSION) {
    throw new Error(
      `kernels: ${build}.wasm has ABI version ${abi}. Expected ${ABI_VERSION}; rebuild the kernels.`,
    );
  }
  return new Kernels(instance, build, o);
}

/**
 * Load the kernels: one fresh instance per call, with its own memory and arena — or, with `threads`,
 * the threaded build on a new shared memory, or with `memory`, on another thread's shared memory.
 */
export async function loadKernels(opts: LoadOptions = {}): Promise<Kernels> {
  const build = await chooseBuild(opts);
  if (opts.wasmBytes)
    return instantiate(await WebAssembly.compile(opts.wasmBytes as BufferSource), build, opts);
  return instantiate(await compiled(build), build, opts);
}

/**
 * Instantiate an already compiled build synchronously (a worker thread given `k.module`, `k.build` and
 * `k.memory` by the thread that owns the memory). With a shared-memory build, `memory` is required and
 * the new instance's arena is borrowed.
 */
export function kernelsFromModule(
  module: WebAssembly.Module,
  build: BuildName,
  memory?: WebAssembly.Memory,
): Kernels {
  if (!(module instanceof WebAssembly.Module)) {
    throw new Error(
      'kernelsFromModule: module must be a WebAssembly.Module. Expected a compiled module (Kernels.module).',
    );
  }
  if (SHARED_MEMORY_BUILDS.includes(build)) {
    if (!memory || !isSharedMemory(memory)) {
      throw new Error(
        `kernelsFromModule: the ${build} build imports a shared memory. Expected memory (shared), got ${memory ? 'an unshared one' : 'none'}.`,
      );
    }
    return instantiate(module, build, { memory });
  }
  if (memory)
    throw new Error(`kernelsFromModule: the ${build} build has its own memory. Expected no memory argument.`);
  return instantiate(module, build);
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
  const mt = wantsThreads(opts);
  let build: BuildName;
  if (opts.debug) build = 'debug';
  else if (isa === 'scalar' || (isa === 'auto' && !isSimdSupported())) build = 'scalar';
  else if (isa === 'simd128') build = 'release';
  else if (enableRelaxedSimdOnNodeSync(v8)) build = 'relaxed';
  else if (isa === 'relaxed') {
    throw new Error('kernels: isa "relaxed" was asked for, but this engine does not validate relaxed SIMD.');
  } else build = 'release';
  if (mt) {
    build = threaded(build);
    disableLiftoffOnNodeSync(v8);
  }
  const s = states.get(build);
  if (s?.kind === 'ready') return instantiate(s.module, build, opts);
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
  return instantiate(module, build, opts);
}
