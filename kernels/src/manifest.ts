// manifest.ts — the one registry of exported kernels. Tests iterate it, the benchmark iterates it,
// tools/wasm-contract checks every built .wasm against it, and the loader dispatches through it.
// Each family lists its own entries in `families/<family>.ts`; this file only joins them.

import { adamwF32Kernels } from './families/adamwF32.js';
import { binaryF32Kernels } from './families/binaryF32.js';
import { dwconvF32Kernels } from './families/dwconvF32.js';
import { gemmF32Kernels } from './families/gemmF32.js';
import { gemmI8Kernels } from './families/gemmI8.js';
import { im2colF32Kernels } from './families/im2colF32.js';
import { im2colI8Kernels } from './families/im2colI8.js';
import { layernormF32Kernels } from './families/layernormF32.js';
import { lutU8Kernels } from './families/lutU8.js';
import { quantizeKernels } from './families/quantize.js';
import { reduceF32Kernels } from './families/reduceF32.js';
import { resizeF32Kernels } from './families/resizeF32.js';
import { softmaxKernels } from './families/softmax.js';
import { transposeF32Kernels } from './families/transposeF32.js';
import { unaryF32Kernels } from './families/unaryF32.js';
import type { Isa, KernelInfo } from './kernelInfo.js';

export type { Isa, KernelInfo, Tile } from './kernelInfo.js';

export const manifest: readonly KernelInfo[] = [
  ...gemmI8Kernels,
  ...gemmF32Kernels,
  ...softmaxKernels,
  ...quantizeKernels,
  ...dwconvF32Kernels,
  ...im2colF32Kernels,
  ...im2colI8Kernels,
  ...lutU8Kernels,
  ...resizeF32Kernels,
  ...layernormF32Kernels,
  ...transposeF32Kernels,
  ...unaryF32Kernels,
  ...binaryF32Kernels,
  ...reduceF32Kernels,
  ...adamwF32Kernels,
];

/** Exports every build has besides its kernels (and `memory`). */
export const ABI_EXPORTS = ['abi_version', 'heap_base'] as const;
/** Must equal `ABI_VERSION` in assembly/abi.ts. */
export const ABI_VERSION = 1;

/** `-mt` builds: the same kernels on an imported shared memory (`env.memory`), for worker threads. */
export type BuildName = 'release' | 'debug' | 'relaxed' | 'scalar' | 'release-mt' | 'relaxed-mt';

/** Which ISA variants each build contains. */
export const BUILD_ISAS: Record<BuildName, readonly Isa[]> = {
  scalar: ['scalar'],
  release: ['scalar', 'simd128'],
  debug: ['scalar', 'simd128'],
  relaxed: ['scalar', 'simd128', 'relaxed'],
  'release-mt': ['scalar', 'simd128'],
  'relaxed-mt': ['scalar', 'simd128', 'relaxed'],
};

/** Builds that import a shared memory instead of defining their own. */
export const SHARED_MEMORY_BUILDS: readonly BuildName[] = ['release-mt', 'relaxed-mt'];

/** The kernels a build must export (and nothing else besides ABI_EXPORTS and memory). */
export function kernelsInBuild(build: BuildName): KernelInfo[] {
  const isas = BUILD_ISAS[build];
  return manifest.filter((k) => isas.includes(k.isa));
}

export function kernelsOf(op: string): KernelInfo[] {
  return manifest.filter((k) => k.op === op);
}
